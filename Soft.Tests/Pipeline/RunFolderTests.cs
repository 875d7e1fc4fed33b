using Soft.Pipeline;
using Soft.Runs;

namespace Soft.Tests.Pipeline;

public sealed class RunFolderTests
{
    private const string Config = """{ "seed": 42, "epochs": 3 }""";

    [Fact]
    public void Finished_stage_survives_reopening_and_is_skipped()
    {
        using var temp = new TempFolder();
        var run = RunFolder.Open(temp.Path, Config);
        run.WriteText("sft/epoch-1/metrics.json", "{}");
        run.Complete("sft/epoch-1", ["sft/epoch-1/metrics.json"], new Dictionary<string, string> { ["hr@10"] = "0.1" });

        var reopened = RunFolder.Open(temp.Path, Config);

        reopened.IsComplete("sft/epoch-1").Should().BeTrue();
        reopened.IsComplete("sft/epoch-2").Should().BeFalse();
        reopened.GetStage("sft/epoch-1")!.Info["hr@10"].Should().Be("0.1");
        File.ReadAllText(reopened.PathOf(RunFolder.ConfigFileName)).Should().Be(Config);
    }

    [Fact]
    public void Damaged_or_deleted_artifact_makes_its_stage_unfinished()
    {
        using var temp = new TempFolder();
        var run = RunFolder.Open(temp.Path, Config);
        run.WriteText("items.bin", "table");
        run.WriteText("distilled.jsonl", "{}\n");
        run.Complete("items", ["items.bin"]);
        run.Complete("distill", ["distilled.jsonl"]);

        File.WriteAllText(run.PathOf("items.bin"), "tablX");
        File.Delete(run.PathOf("distilled.jsonl"));

        run.IsComplete("items").Should().BeFalse();
        run.IsComplete("distill").Should().BeFalse();
    }

    [Fact]
    public void A_folder_of_an_older_layout_is_refused_with_a_message_saying_so_unless_forced()
    {
        using var temp = new TempFolder();
        var run = RunFolder.Open(temp.Path, Config);
        string manifest = Path.Combine(temp.Path, RunFolder.ManifestFileName);
        // Format 1: stages named by raw method names, the ablation as "soft-distilled-only" (before the typed pipeline).
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace($"\"FormatVersion\": {RunManifest.CurrentFormatVersion}", "\"FormatVersion\": 1"));

        var act = () => RunFolder.Open(temp.Path, Config);
        act.Should().Throw<RunConfigMismatchException>().WithMessage($"*{temp.Path}*older run-folder layout (format 1*reads format {RunManifest.CurrentFormatVersion}*");
        RunFolder.Open(temp.Path, Config, forceFresh: true).ConfigHash.Should().Be(run.ConfigHash);
    }

    [Fact]
    public void Another_configuration_is_refused_unless_forced()
    {
        using var temp = new TempFolder();
        var run = RunFolder.Open(temp.Path, Config);
        run.WriteText("x.txt", "x");
        run.Complete("x", ["x.txt"]);
        const string other = """{ "seed": 43, "epochs": 3 }""";

        var act = () => RunFolder.Open(temp.Path, other);
        act.Should().Throw<RunConfigMismatchException>().WithMessage($"*{temp.Path}*configuration*force a fresh run*");

        var fresh = RunFolder.Open(temp.Path, other, forceFresh: true);
        fresh.IsComplete("x").Should().BeFalse();
        fresh.ConfigHash.Should().NotBe(run.ConfigHash);
    }

    [Fact]
    public void Only_the_open_that_starts_the_run_is_new()
    {
        using var temp = new TempFolder();

        RunFolder.Open(temp.Path, Config).IsNew.Should().BeTrue();
        RunFolder.Open(temp.Path, Config).IsNew.Should().BeFalse();
        RunFolder.Open(temp.Path, Config, forceFresh: true).IsNew.Should().BeTrue();
    }

    [Fact]
    public void Leftover_temporary_files_of_a_killed_process_are_removed_on_open()
    {
        using var temp = new TempFolder();
        RunFolder.Open(temp.Path, Config);
        string leftover = temp.Combine("sft", "adapter_model.safetensors.123.abc.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(leftover)!);
        File.WriteAllText(leftover, "half");

        RunFolder.Open(temp.Path, Config);

        File.Exists(leftover).Should().BeFalse();
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../escape.txt")]
    [InlineData("/etc/passwd")]
    public void Paths_outside_the_run_folder_are_refused(string path)
    {
        using var temp = new TempFolder();
        var run = RunFolder.Open(temp.Path, Config);
        var act = () => run.WriteText(path, "no");
        act.Should().Throw<ArgumentException>().WithMessage($"*{path}*");
    }

    [Fact]
    public void Corrupt_manifest_names_the_file()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.Combine(RunFolder.ManifestFileName), "{ not json");
        var act = () => RunFolder.Open(temp.Path, Config);
        act.Should().Throw<InvalidDataException>().WithMessage($"*{RunFolder.ManifestFileName}*");
    }

    [Fact]
    public void Listing_a_missing_file_is_an_error_naming_it()
    {
        using var temp = new TempFolder();
        var run = RunFolder.Open(temp.Path, Config);
        var act = () => run.Complete("sft", ["sft/missing.safetensors"]);
        act.Should().Throw<FileNotFoundException>().WithMessage("*sft/missing.safetensors*");
    }
}
