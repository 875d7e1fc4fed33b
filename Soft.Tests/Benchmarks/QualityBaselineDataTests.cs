using Soft.Benchmarks;

namespace Soft.Tests.Benchmarks;

public sealed class QualityBaselineDataTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(3)]
    [InlineData(1)]
    public void Sasrec_windows_make_each_transition_a_target_exactly_once_with_the_sequence_before_it_as_history(int historyLength)
    {
        // Item i of sequence s is s * 100 + i, so an item names its own position.
        IReadOnlyList<IReadOnlyList<int>> sequences = [.. new[] { 1, 2, 3, 10, 11, 12, 25, 47 }.Select((n, s) => (IReadOnlyList<int>)[.. Enumerable.Range(0, n).Select(i => s * 100 + i)])];

        var windows = QualityBenchmark.Windows(sequences, historyLength);

        // What SASRec trains on a window: each item after the first, predicted from the items before it in the window.
        var targets = new List<int>();
        foreach (var window in windows)
        {
            int[] items = [.. window.History, window.Target];
            items.Length.Should().BeLessThanOrEqualTo(historyLength + 1);
            for (int j = 1; j < items.Length; j++)
            {
                int target = items[j];
                targets.Add(target);
                var before = sequences[target / 100].Take(target % 100).TakeLast(j);
                items.Take(j).Should().Equal(before, "a window's history is the sequence just before its target");
            }
        }
        var transitions = QualityBenchmark.Transitions(sequences, historyLength).Select(t => t.Target);
        targets.Should().BeEquivalentTo(transitions);
        targets.Should().OnlyHaveUniqueItems();
    }

    [Theory]
    [InlineData("SOFT (α=10)", "items", "SOFT (α=10)")]
    [InlineData("SOFT (α=10)", "titles", "SOFT (α=10) · titles")]
    [InlineData("SFT", "stories260K", "SFT · stories260K")]
    public void A_rows_method_name_carries_its_base_model_unless_it_is_the_main_one_and_splits_back(string method, string baseModel, string name)
    {
        QualityBaseModels.MethodName(method, baseModel).Should().Be(name);
        QualityBaseModels.Split(name).Should().Be((method, baseModel));
    }

    [Fact]
    public void An_unknown_base_model_is_refused_with_the_known_names()
    {
        QualityBaseModels.Parse("STORIES260k").Should().Be(QualityBaseModels.Stories);
        var act = () => QualityBaseModels.Parse("gpt2");
        act.Should().Throw<ArgumentException>().WithMessage("*'gpt2'*items, titles, stories260K*");
    }

    [Fact]
    public void A_jobs_child_gets_its_own_dataset_base_model_seed_thread_and_json_and_every_other_option_as_given()
    {
        string[] args = ["quality", "--jobs", "2", "--datasets", "lastfm,ml-100k", "--seeds", "1,2", "--threads", "2", "--tiny", "--doc", "docs/BENCHMARKS.md", "--out", "runs/q"];
        var settings = QualityArguments.Settings(args[1..]);

        var child = QualityJobs.ChildArguments(args, settings, new QualityJobs.Part("ml-100k", "titles", 2));

        child.Should().Equal("quality", "--tiny", "--out", "runs/q",
            "--datasets", "ml-100k", "--base-models", "titles", "--seeds", "2", "--threads", "1", "--json", Path.Combine("runs/q", "logs", "ml-100k-titles-seed-2.json"));
        settings.Jobs.Should().Be(2);
    }

    [Fact]
    public void Jobs_split_the_benchmark_into_one_part_per_seed_items_first_and_titles_on_the_first_seed_only()
    {
        string[] args = ["quality", "--jobs", "2", "--datasets", "lastfm,ml-100k", "--seeds", "1,2", "--base-models", "titles,items"];
        var settings = QualityArguments.Settings(args[1..]);

        QualityJobs.Parts(settings).Select(p => p.Name).Should().Equal(
            "lastfm-items-seed-1", "lastfm-items-seed-2", "ml-100k-items-seed-1", "ml-100k-items-seed-2",
            "lastfm-titles-seed-1", "ml-100k-titles-seed-1");
    }
}
