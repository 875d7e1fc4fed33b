using System.Text;
using CsCheck;
using Soft.Models;
using Soft.Models.Scratch;

namespace Soft.Tests.Models.Scratch;

/// <summary>
/// Issue #12: a compact tokenizer, saved and read back the way a model folder is, encodes every string of its corpus
/// to ids it has, exactly as GPT-2 does, and back to the same string; over generated corpora of words, whitespace runs,
/// control characters, emoji and code points of every Unicode plane.
/// </summary>
public sealed class CompactTokenizerPropertyTests
{
    // Surrogates are not Unicode scalar values: a lone one has no UTF-8 form, so no string of a real catalogue holds one.
    private static readonly Gen<string> AnyScalar = Gen.Int[0, 0x10FFFF].Where(c => c is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32);

    private static readonly Gen<string> Piece = Gen.Frequency(
        (4, Gen.Char['a', 'z'].Array[1, 8].Select(c => new string(c))),
        (3, Gen.OneOf(' ', '\t', '\n', '\r', '\u00A0', '\u2003', '\u3000').Array[1, 6].Select(c => new string(c))),
        (1, Gen.OneOf(Gen.Int[0, 0x1F], Gen.Int[0x7F, 0x9F]).Select(c => ((char)c).ToString())),
        (1, Gen.Int[0x1F300, 0x1FAFF].Select(char.ConvertFromUtf32)),
        (1, Gen.OneOf("'s", "'ll", "\"", ", ", "...", "—", "1999", "Ǆ")),
        (2, AnyScalar));

    private static readonly Gen<string> Text = Piece.Array[1, 12].Select(pieces => string.Concat(pieces));

    private static readonly Gen<string[]> Corpus = Text.Array[1, 4];

    [Fact]
    public void A_saved_compact_tokenizer_encodes_every_corpus_string_to_its_own_ids_as_gpt2_does()
    {
        var reference = Gpt2Ranks.CreateReference();
        // Bounded by its 150 cases (about 4 s on an idle core), not by a clock: a timed assertion fails on a busy machine.
        Corpus.Sample(corpus =>
        {
            var compact = CompactTokenizer.Build(corpus);
            using var folder = new TempFolder();
            compact.Save(folder.Path);
            var saved = HfTokenizer.Load(folder.Path, new LlamaConfig { ModelType = "llama" });
            foreach (string text in corpus)
            {
                var ids = saved.Encode(text, addBos: false);
                ids.Should().OnlyContain(id => id >= 0 && id < compact.VocabularySize, Show(text));
                var expected = reference.EncodeToIds(text).Select(id => compact.FromGpt2Id(id) ?? -1);
                ids.Should().Equal(expected, Show(text));
                saved.Decode(ids).Should().Be(text);
            }
        }, iter: 150, threads: 1, print: corpus => string.Join(" | ", corpus.Select(Show)));
    }

    [Theory]
    [InlineData("two  spaces")]
    [InlineData("three   spaces and\t\ttwo tabs")]
    [InlineData("trailing   ")]
    [InlineData("\u0000\u0007 controls \u001F\u007F\u0085")]
    [InlineData("𝄞 music, 🀄 mahjong, 𠀀 plane 2, \U000E0041 plane 14, \U0010FFFD plane 16")]
    public void Whitespace_runs_control_characters_and_every_plane_stay_inside_the_vocabulary(string text)
    {
        var compact = CompactTokenizer.Build([text]);
        using var folder = new TempFolder();
        compact.Save(folder.Path);
        var saved = HfTokenizer.Load(folder.Path, new LlamaConfig { ModelType = "llama" });

        var ids = saved.Encode(text, addBos: false);

        ids.Should().OnlyContain(id => id < compact.VocabularySize);
        saved.Decode(ids).Should().Be(text);
    }

    private static string Show(string text) =>
        string.Concat(text.EnumerateRunes().Select(r => r.Value is < 0x20 or (>= 0x7F and <= 0x9F) || r.Value > 0xFFFF ? $"\\u{{{r.Value:X}}}" : r.ToString()));
}
