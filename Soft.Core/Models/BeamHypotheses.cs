namespace Soft.Models;

/// <summary>The best finished hypotheses of one prompt during beam search (at most the beam width).</summary>
internal sealed class BeamHypotheses
{
    private readonly List<(int[] Tokens, double Score, bool Stopped)> _items = [];
    private readonly int _capacity;
    private readonly double _lengthPenalty;

    public BeamHypotheses(int capacity, double lengthPenalty)
    {
        _capacity = capacity;
        _lengthPenalty = lengthPenalty;
    }

    public int Count => _items.Count;

    /// <summary>Hugging Face's score: sum of log-probs / length^penalty, length counting the stop token.</summary>
    public double Normalise(double sumLogProbs, int length) =>
        _lengthPenalty == 0 ? sumLogProbs : sumLogProbs / Math.Pow(Math.Max(1, length), _lengthPenalty);

    /// <summary>Adds a hypothesis if it beats the worst kept one; ties keep the earlier one.</summary>
    public void Add(int[] tokens, double sumLogProbs, int length, bool stopped)
    {
        double score = Normalise(sumLogProbs, length);
        if (double.IsNegativeInfinity(score))
            return;
        if (_items.Count == _capacity && score <= _items[^1].Score)
            return;
        int at = _items.FindIndex(h => h.Score < score);
        _items.Insert(at < 0 ? _items.Count : at, (tokens, score, stopped));
        if (_items.Count > _capacity)
            _items.RemoveAt(_items.Count - 1);
    }

    /// <summary>
    /// True when no live beam can still enter the list. Exact for penalty 0: live scores only fall as tokens are added.
    /// For other penalties this is Hugging Face's heuristic (the live score normalised at the current length).
    /// </summary>
    public bool IsDone(double bestLiveSum, int length) =>
        _items.Count == _capacity && (double.IsNegativeInfinity(bestLiveSum) || _items[^1].Score >= Normalise(bestLiveSum, length));

    /// <summary>Kept hypotheses, best first.</summary>
    public IReadOnlyList<(int[] Tokens, double Score, bool Stopped)> Best => _items;
}
