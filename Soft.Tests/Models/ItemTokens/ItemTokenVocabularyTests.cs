using System.Text.Json;
using Soft.Data;
using Soft.Models;
using Soft.Models.ItemTokens;
using Soft.Tests.Evaluation;
using static TorchSharp.torch;

namespace Soft.Tests.Models.ItemTokens;

/// <summary>
/// Item tokens added to real checkpoints (stories260K: SentencePiece, tied; tiny-random-gpt2: byte-level BPE, tied)
/// survive a save and load: one token per item that decodes back, the old rows unchanged, each new row the mean of
/// its title's pieces, and the Hugging Face files that say so.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ItemTokenVocabularyTests
{
    private static readonly ModelLoadOptions Cpu = new() { Device = Soft.Runtime.DevicePreference.Cpu };

    public ItemTokenVocabularyTests() => ModelTestKit.Initialize();

    public static TheoryData<string> Models => new() { "stories260K", "tiny-random-gpt2" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_item_encodes_to_one_token_that_decodes_back_after_save_and_load(string name)
    {
        using var folder = new TempFolder();
        var catalog = EvaluationData.LastFmCatalog(25);
        string source = name == "stories260K" ? ModelTestKit.Stories : ModelTestKit.TinyGpt2;
        int first = ItemTokenVocabulary.Add(source, catalog, folder.Combine("items"));

        using var model = TorchLanguageModel.Load(folder.Combine("items"), Cpu);
        model.Save(folder.Combine("saved"));
        using var reloaded = TorchLanguageModel.Load(folder.Combine("saved"), Cpu);
        for (int i = 0; i < catalog.Count; i++)
        {
            reloaded.Tokenizer.Encode(ItemTokenText.Of(i), addBos: false).Should().Equal([first + i], $"item {i}");
            reloaded.Tokenizer.Decode([first + i]).Should().Be(ItemTokenText.Of(i));
        }
        // Text around the tokens encodes as it did without them, and the whole decodes back.
        var plain = reloaded.Tokenizer.Encode("listened:", addBos: false);
        var mixed = reloaded.Tokenizer.Encode($"listened:{ItemTokenText.Of(3)}{ItemTokenText.Of(4)}", addBos: false);
        mixed.Should().Equal([.. plain, first + 3, first + 4]);
        reloaded.Tokenizer.Decode(mixed).Should().Be($"listened:{ItemTokenText.Of(3)}{ItemTokenText.Of(4)}");
        reloaded.Tokenizer.VocabularySize.Should().Be(first + catalog.Count);
        reloaded.Config.VocabSize.Should().BeGreaterThanOrEqualTo(first + catalog.Count);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Old_rows_are_kept_and_each_new_row_is_the_mean_of_its_title_pieces(string name)
    {
        using var folder = new TempFolder();
        var catalog = EvaluationData.LastFmCatalog(12);
        string source = name == "stories260K" ? ModelTestKit.Stories : ModelTestKit.TinyGpt2;
        using var original = TorchLanguageModel.Load(source, Cpu);
        int first = ItemTokenVocabulary.Add(source, catalog, folder.Path);
        using var grown = TorchLanguageModel.Load(folder.Path, Cpu);

        var before = Embedding(original);
        var after = Embedding(grown);
        for (int row = 0; row < first; row++)
            after[row].Should().Equal(before[row], $"row {row} is an old token");
        for (int i = 0; i < catalog.Count; i++)
        {
            var pieces = original.Tokenizer.Encode(catalog[i].Title, addBos: false);
            var mean = Enumerable.Range(0, before[0].Length).Select(d => pieces.Average(p => (double)before[p][d])).ToArray();
            ModelTestKit.MaxAbsDiff(after[first + i], mean).Should().BeLessThan(1e-6, $"item {i} ({catalog[i].Title})");
        }
        // Still tied: the logits of an item token use the same row.
        grown.Module.named_parameters().Count().Should().Be(original.Module.named_parameters().Count());
    }

    [Fact]
    public void Every_new_row_is_finite_for_the_whole_LastFM_catalogue_on_stories260K()
    {
        // Some LastFM titles encode to no SentencePiece piece; their rows once came out NaN, and one NaN row made every
        // item's log-probability NaN (found by the crash-resume script through D-hat's soft labels).
        using var folder = new TempFolder();
        var catalog = EvaluationData.FullLastFm;
        ItemTokenVocabulary.Add(ModelTestKit.Stories, catalog, folder.Path);
        using var grown = TorchLanguageModel.Load(folder.Path, Cpu);
        Embedding(grown).SelectMany(r => r).Should().OnlyContain(v => float.IsFinite(v));
        var scores = grown.NextTokenLogProbabilities(["listened:\n"], ItemTokenVocabulary.FirstId(grown.Tokenizer, catalog), catalog.Count);
        scores[0].Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public void Tokenizer_files_list_the_items_as_non_special_added_tokens_for_transformers()
    {
        using var folder = new TempFolder();
        var catalog = EvaluationData.LastFmCatalog(5);
        int first = ItemTokenVocabulary.Add(ModelTestKit.TinyGpt2, catalog, folder.Path);

        var added = JsonDocument.Parse(File.ReadAllText(folder.Combine("added_tokens.json"))).RootElement;
        added.GetProperty("<item_4>").GetInt32().Should().Be(first + 4);
        var decoder = JsonDocument.Parse(File.ReadAllText(folder.Combine("tokenizer_config.json"))).RootElement.GetProperty("added_tokens_decoder");
        var entry = decoder.GetProperty((first + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        entry.GetProperty("content").GetString().Should().Be("<item_2>");
        entry.GetProperty("special").GetBoolean().Should().BeFalse();
        entry.GetProperty("normalized").GetBoolean().Should().BeFalse();
        JsonDocument.Parse(File.ReadAllText(folder.Combine("config.json"))).RootElement.GetProperty("vocab_size").GetInt32()
            .Should().Be(Math.Max(ModelTestKit.LoadGpt2().Config.VocabSize, first + catalog.Count));
        Directory.GetFiles(folder.Path, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public void A_title_holding_an_item_token_is_refused_with_its_item_named_and_nothing_written()
    {
        using var folder = new TempFolder();
        var catalog = new ItemCatalog([new CatalogItem(0, "a1", "Plain"), new CatalogItem(1, "b2", "Trick <item_0> title")], "toy");
        var act = () => ItemTokenVocabulary.Add(ModelTestKit.TinyGpt2, catalog, folder.Combine("out"));
        act.Should().Throw<InvalidDataException>().WithMessage("*'b2'*<item_0>*");
        Directory.Exists(folder.Combine("out")).Should().BeFalse();
    }

    [Fact]
    public void A_folder_that_has_item_tokens_already_is_refused()
    {
        using var folder = new TempFolder();
        var catalog = EvaluationData.LastFmCatalog(3);
        ItemTokenVocabulary.Add(ModelTestKit.TinyGpt2, catalog, folder.Path);
        var act = () => ItemTokenVocabulary.Add(folder.Path, catalog, folder.Combine("again"));
        act.Should().Throw<InvalidDataException>().WithMessage("*already has item tokens*");
    }

    private static float[][] Embedding(TorchLanguageModel model)
    {
        var (_, weight) = model.Module.named_parameters().First(p => p.name.EndsWith("embed_tokens.weight", StringComparison.Ordinal) || p.name.EndsWith("wte.weight", StringComparison.Ordinal));
        using var noGrad = no_grad();
        return ModelTestKit.Rows(weight.detach());
    }
}
