namespace Soft.Models;

/// <summary>Turns text into token ids and back, with the special ids a causal language model needs.</summary>
public interface ITextTokenizer
{
    /// <summary>Number of ids the tokenizer can produce (may be smaller than the model's embedding table).</summary>
    int VocabularySize { get; }

    /// <summary>Beginning-of-sequence id, or null when the tokenizer has none.</summary>
    int? BosTokenId { get; }

    /// <summary>End-of-sequence id; appended to every training target.</summary>
    int EosTokenId { get; }

    /// <summary>Id used to left-pad batches; never attended to and never scored.</summary>
    int PadTokenId { get; }

    /// <summary>
    /// Whether <see cref="Encode(string)"/> prepends <see cref="BosTokenId"/>, as the Hugging Face tokenizer of this
    /// model does by default (true for LLaMA's SentencePiece tokenizer, false for GPT-2).
    /// </summary>
    bool AddsBosToken { get; }

    /// <summary>Encodes <paramref name="text"/> the way the model's own tokenizer does by default.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    IReadOnlyList<int> Encode(string text);

    /// <summary>Encodes <paramref name="text"/>, prepending the BOS id only when <paramref name="addBos"/> is true.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    IReadOnlyList<int> Encode(string text, bool addBos);

    /// <summary>Decodes <paramref name="ids"/> to text, leaving out BOS, EOS and padding.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    string Decode(IEnumerable<int> ids);
}
