using Soft.Data;
using Soft.Models;

namespace Soft.Serving;

/// <summary>
/// Exact scoring of titles: each candidate's summed log-probability of its quoted title and EOS given the prompt
/// (<see cref="ILanguageModel.ContinuationLogLikelihoods"/>), the prompt run once and its KV cache shared. Exact, but
/// a prompt costs forward passes over every candidate title's tokens, so it grows with the catalogue (docs/BENCHMARKS.md
/// measures the exact evaluator's cost, which is the same); a candidate filter shrinks it, because only allowed items
/// are scored. Twin titles are scored once.
/// </summary>
internal sealed class TitleScorer : ICatalogueScorer
{
    private readonly ILanguageModel _model;
    private readonly List<IReadOnlyList<int>> _sequences = [];
    // Per catalogue item, the index of its distinct title sequence, or -1 when the filter never lets it be recommended.
    private readonly int[] _slot;

    public TitleScorer(ILanguageModel model, PromptTemplate template, ItemCatalog catalog, Func<int, bool> scored)
    {
        _model = model;
        _slot = new int[catalog.Count];
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        int longest = 0;
        for (int i = 0; i < catalog.Count; i++)
        {
            _slot[i] = -1;
            if (!scored(i))
                continue;
            string text = template.ItemText(i, catalog);
            if (!distinct.TryGetValue(text, out int s))
            {
                distinct[text] = s = _sequences.Count;
                _sequences.Add([.. model.Tokenizer.Encode(text, addBos: false), model.Tokenizer.EosTokenId]);
                longest = Math.Max(longest, _sequences[s].Count);
            }
            _slot[i] = s;
        }
        Reserve = longest;
    }

    public int Reserve { get; }

    public double[][] Score(IReadOnlyList<string> prompts, CancellationToken cancellationToken)
    {
        var scores = new double[prompts.Count][];
        for (int p = 0; p < prompts.Count; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var distinct = _model.ContinuationLogLikelihoods(prompts[p], _sequences, cancellationToken);
            scores[p] = Array.ConvertAll(_slot, s => s < 0 ? double.NegativeInfinity : distinct[s]);
        }
        return scores;
    }
}
