using Soft.Benchmarks;
using Soft.Data;

namespace Soft.Tests.Benchmarks;

public sealed class QualityRegimeTests
{
    [Fact]
    public void Paper_like_fine_tunes_on_users_whose_transitions_the_base_never_pre_trained_on()
    {
        var settings = QualityArguments.Settings("--regime", QualityRegime.PaperLikeName);
        var all = EmbeddedDatasets.LastFm(QualityBenchmark.DataOptions(settings, seed: 3));
        all.Train.Count.Should().BeGreaterThan(4096, "the reader keeps every window; the users are split afterwards");

        var dataset = settings.Regime.Apply(all, 4096, seed: 3);

        var pretraining = DisjointUsers.PretrainingUsers(all, QualityRegime.PaperLikePretrainingShare, seed: 3);
        int users = all.Train.Select(s => s.UserId).Distinct().Count();
        pretraining.Count.Should().Be((int)Math.Round(users * 0.5));
        dataset.Train.Should().HaveCount(4096);
        dataset.Train.Should().OnlyContain(s => !pretraining.Contains(s.UserId), "no fine-tuning sample comes from a pre-training user");
        // The base pre-trains on TrainingSequences: exactly the pre-training users' windows, chained.
        var expected = TrainingChains.From([.. all.Train.Where(s => pretraining.Contains(s.UserId))]);
        dataset.TrainingSequences.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        dataset.TrainingSequences.Sum(s => s.Count).Should().BeLessThan(all.TrainingSequences.Sum(s => s.Count), "the other users' interactions are left out");
        dataset.Valid.Should().BeSameAs(all.Valid);
        dataset.Test.Should().BeSameAs(all.Test);
    }

    [Fact]
    public void Paper_like_draws_other_users_for_another_seed()
    {
        var settings = QualityArguments.Settings("--regime", QualityRegime.PaperLikeName);
        var all = EmbeddedDatasets.LastFm(QualityBenchmark.DataOptions(settings, seed: 1));

        DisjointUsers.PretrainingUsers(all, 0.5, seed: 1).Should().NotBeEquivalentTo(DisjointUsers.PretrainingUsers(all, 0.5, seed: 2));
        DisjointUsers.PretrainingUsers(all, 0.5, seed: 1).Should().BeEquivalentTo(DisjointUsers.PretrainingUsers(all, 0.5, seed: 1));
    }

    [Fact]
    public void Born_again_fine_tunes_sft_and_soft_on_the_same_windows_the_reader_drew_from_a_barely_trained_base()
    {
        var settings = QualityArguments.Settings("--regime", QualityRegime.BornAgainName);
        var options = QualityBenchmark.DataOptions(settings, seed: 2);
        options.TrainSubset.Should().Be(QualityRegime.BornAgainTrainSamples);
        var loaded = EmbeddedDatasets.LastFm(options);

        // SFT, D̂ and SOFT all read dataset.Train (MethodRun.Job), so one dataset means the same windows for each.
        settings.Regime.Apply(loaded, QualityRegime.BornAgainTrainSamples, seed: 2).Should().BeSameAs(loaded);
        loaded.Train.Should().HaveCount(QualityRegime.BornAgainTrainSamples);
        settings.Regime.PretrainingSteps.Should().Be(QualityRegime.BornAgainPretrainingSteps);
        settings.Regime.PretrainingShare.Should().BeNull("the base's few steps read every training interaction");
    }

    [Fact]
    public void Default_keeps_the_cpu_presets_data_and_gives_the_stages_the_papers_epochs()
    {
        var settings = QualityArguments.Settings();
        settings.Regime.Name.Should().Be(QualityRegime.DefaultName);
        QualityBenchmark.DataOptions(settings, seed: 1).TrainSubset.Should().Be(4096);
        settings.Regime.MaxEpochs.Should().Be(7);
        settings.Regime.Patience.Should().Be(2);
    }

    [Fact]
    public void An_unknown_regime_is_refused_with_the_known_names()
    {
        var act = () => QualityArguments.Settings("--regime", "paper");
        act.Should().Throw<ArgumentException>().WithMessage("*'paper'*default, paper-like, born-again*");
    }

    [Fact]
    public void Variants_beyond_the_documented_set_run_only_when_named()
    {
        QualityArguments.Settings().Variants.Should().Equal("ablation", "soft-labels");
        QualityArguments.Settings("--variants", "soft-labels-t2,soft-labels-only,soft-labels-half").Variants.Should().Equal("soft-labels-t2", "soft-labels-only", "soft-labels-half");
        var act = () => QualityArguments.Settings("--variants", "soft-labels-t3");
        act.Should().Throw<ArgumentException>().WithMessage("*'soft-labels-t3'*ablation, soft-labels, soft-labels-t2, soft-labels-only, soft-labels-half*");
    }
}
