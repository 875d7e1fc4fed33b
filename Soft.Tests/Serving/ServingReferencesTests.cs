extern alias SoftApi;

using Microsoft.Extensions.DependencyInjection;
using Soft.Pipeline;
using Soft.Reporting;
using Soft.Runs;
using Soft.Serving;

namespace Soft.Tests.Serving;

/// <summary>
/// Serving needs nothing of training (issue #22): no type of the pipeline, the reports or the run folder's bookkeeping
/// is named by the compiled serving code, none of training is reachable from the API sample, and what serving keeps of
/// its own of the pipeline's files matches them.
/// </summary>
public sealed class ServingReferencesTests
{
    private static readonly string[] TrainingSide = ["Soft.Pipeline", "Soft.Reporting", "Soft.Runs"];

    [Fact]
    public void Serving_names_no_type_of_the_pipeline_the_reports_or_the_run_folder()
    {
        var serving = typeof(SoftRecommender).Assembly.GetTypes()
            .Where(t => t.Namespace == "Soft.Serving")
            .Concat(ReferencedTypes.WithNested(typeof(SoftRecommenderServiceCollectionExtensions)))
            .ToList();
        serving.Should().Contain([typeof(SoftRecommender), typeof(ServingManifest), typeof(BundleManifest)])
            .And.Contain(t => t.DeclaringType == typeof(SoftRecommender), "the compiler's lambdas and state machines are read too");

        var edges = serving
            .SelectMany(t => ReferencedTypes.Of(t).Where(IsTrainingSide).Select(r => $"{t.FullName} -> {r.FullName}"))
            .Distinct()
            .Order(StringComparer.Ordinal);

        edges.Should().BeEmpty("a server loads a run's files, and the code that writes them stays out of its way");
    }

    [Fact]
    public void The_API_sample_reaches_no_training_code_through_Soft_Core()
    {
        var core = typeof(SoftRecommender).Assembly;
        var reached = ReferencedTypes.Closure(typeof(SoftApi::Program).Assembly.GetTypes(), core);
        reached.Should().Contain([typeof(SoftRecommender), typeof(Soft.Models.TorchLanguageModel), typeof(Soft.Data.CatalogFile)]);

        string[] training = [.. TrainingSide, "Soft.Training", "Soft.Curriculum", "Soft.Distillation", "Soft.Baselines", "Soft.Models.Scratch"];
        reached.Where(t => training.Contains(t.Namespace, StringComparer.Ordinal)).Select(t => t.FullName).Should()
            .BeEmpty("a server of a bundle loads a model and a catalogue; a type of these namespaces reached from it means training code came along");
    }

    [Fact]
    public void The_reader_finds_types_named_only_inside_lambdas_async_methods_locals_and_calls()
    {
        var found = ReferencedTypes.WithNested(typeof(TrainingSideInside)).SelectMany(ReferencedTypes.Of).ToHashSet();

        found.Should().Contain([typeof(RunManifest), typeof(PeakMemory), typeof(MethodResult), typeof(RunFolder), typeof(SoftTrainer)]);
    }

    [Fact]
    public void Serving_reads_the_configuration_and_finished_stages_a_run_folder_recorded()
    {
        using var temp = new TempFolder();
        RunManifestView.Read(temp.Path).Should().BeNull("a run that finished nothing has no manifest yet");
        var run = RunFolder.Open(temp.Path, """{ "seed": 42 }""");
        run.WriteText("soft/best/model.safetensors", "weights");
        run.Complete("soft", ["soft/best/model.safetensors"]);

        var view = RunManifestView.Read(temp.Path)!;

        view.ConfigHash.Should().Be(run.ConfigHash).And.NotBeEmpty();
        view.Stages.Keys.Should().BeEquivalentTo(run.CompletedStages);
        view.Stages["soft"].Files.Should().Equal(run.GetStage("soft")!.Files);

        File.WriteAllText(Path.Combine(temp.Path, RunFolder.ManifestFileName), "{ not json");
        var broken = () => RunManifestView.Read(temp.Path);
        broken.Should().Throw<InvalidDataException>().WithMessage("*manifest.json: the run's manifest is not valid JSON*");
    }

    private static bool IsTrainingSide(Type type) =>
        TrainingSide.Any(ns => type.Namespace == ns || type.Namespace?.StartsWith(ns + ".", StringComparison.Ordinal) == true);

    // Names training-side types only where no signature shows them: in a lambda, after an await, in a local's
    // generic argument, through a static call and in a typeof.
    private static class TrainingSideInside
    {
        public static Func<string> InALambda() => () => new RunManifest().ConfigHash;

        public static async Task<long> AfterAnAwait()
        {
            await Task.Yield();
            return PeakMemory.GetPeakBytes();
        }

        public static int InALocal()
        {
            var results = new List<MethodResult>();
            return results.Count;
        }

        public static string ThroughACall(string path) => RunFolder.Sha256OfFile(path);

        public static string InATypeof() => typeof(SoftTrainer).Name;
    }
}
