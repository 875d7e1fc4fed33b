using Soft.Baselines;

namespace Soft.Tests.Baselines;

/// <summary>
/// Next-item examples from the LastFM fixture file with LLaRA's user-disjoint split: every position of a
/// training user's sequence is a target (history = up to 10 items before it); a validation or test user
/// contributes one example, their last item.
/// </summary>
internal static class LastFmExamples
{
    public const int ItemCount = 4606;

    public static (List<NextItemExample> Train, List<NextItemExample> Valid, List<NextItemExample> Test) Load(int historyLength = 10)
    {
        var train = new List<NextItemExample>();
        var valid = new List<NextItemExample>();
        var test = new List<NextItemExample>();
        foreach (string line in File.ReadLines(Fixtures.Path("lastfm", "sequences.tsv")).Skip(1))
        {
            string[] f = line.Split('\t');
            int[] items = f[2].Split(' ').Select(int.Parse).ToArray();
            NextItemExample At(int t) => new(items[Math.Max(0, t - historyLength)..t], items[t]);
            switch (f[0])
            {
                case "train":
                    for (int t = 1; t < items.Length; t++)
                        train.Add(At(t));
                    break;
                case "valid":
                    valid.Add(At(items.Length - 1));
                    break;
                default:
                    test.Add(At(items.Length - 1));
                    break;
            }
        }
        return (train, valid, test);
    }
}
