using Soft.Pipeline;
using Soft.Recommenders;
using Soft.Reporting;
using Soft.Runs;
using Soft.Serving;

namespace Soft.Tests.Serving;

/// <summary>Exported bundles of the item-token run: the run's answers from a copy anywhere, and every way a bundle can be broken.</summary>
public sealed partial class SoftRecommenderTests
{
    [Fact]
    public void An_exported_bundle_answers_as_the_run_folder_does_wherever_it_is_moved()
    {
        using var folder = new TempFolder();
        string bundle = folder.Combine("bundle");
        var manifest = SoftRecommender.Export(run.Folder, ReportMethodNames.Soft, bundle);

        manifest.Method.Should().Be(ReportMethodNames.Soft);
        manifest.Adapter.Should().BeFalse();
        manifest.FormatVersion.Should().Be(BundleManifest.CurrentFormatVersion);
        manifest.SoftVersion.Should().NotBeNullOrWhiteSpace();
        manifest.TorchSharpVersion.Should().StartWith("0.107");
        manifest.RunConfigHash.Should().NotBeNullOrWhiteSpace()
            .And.Be(System.Text.Json.JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(Path.Combine(run.Folder, RunFolder.ManifestFileName)))!.ConfigHash);
        manifest.Files.Keys.Should().Contain(["catalog.jsonl", "serving.json", "model/config.json", "model/model.safetensors", "model/added_tokens.json"])
            .And.NotContain(k => k.StartsWith("adapter/", StringComparison.Ordinal));
        Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(bundle, f))
            .Should().BeEquivalentTo([.. manifest.Files.Keys, BundleManifest.FileName]);
        Directory.Exists(bundle + ".partial").Should().BeFalse();
        BundleManifest.IsBundle(bundle).Should().BeTrue();
        BundleManifest.IsBundle(run.Folder).Should().BeFalse();
        SoftRecommender.Methods(bundle).Should().Equal(ReportMethodNames.Soft);

        // Moved away from the run, it still answers: nothing in it points back.
        string moved = folder.Combine("elsewhere", "bundle");
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        Directory.Move(bundle, moved);
        var histories = run.TestHistories();
        int all = run.Dataset.Catalog.Count;
        using var fromRun = SoftRecommender.Load(run.Folder, AllItems);
        using var fromBundle = SoftRecommender.Load(moved, AllItems);
        fromBundle.Method.Should().Be(ReportMethodNames.Soft);
        fromBundle.HistoryLength.Should().Be(fromRun.HistoryLength);
        var expected = fromRun.RecommendMany(histories, all);
        var actual = fromBundle.RecommendMany(histories, all);
        for (int i = 0; i < histories.Count; i++)
        {
            actual[i].Select(r => r.ItemId).Should().Equal(expected[i].Select(r => r.ItemId), $"sample {i}");
            actual[i].Select(r => r.Score).Should().Equal(expected[i].Select(r => r.Score), $"sample {i}: the same weights, the same numbers");
        }
    }

    [Fact]
    public void Exporting_a_run_twice_gives_the_same_bytes_and_another_method_its_own_bundle()
    {
        using var folder = new TempFolder();
        SoftRecommender.Export(run.Folder, ReportMethodNames.Sft, folder.Combine("a"));
        Directory.CreateDirectory(folder.Combine("b"));
        var manifest = SoftRecommender.Export(run.Folder, ReportMethodNames.Sft, folder.Combine("b"));
        foreach (string relative in manifest.Files.Keys.Append(BundleManifest.FileName))
            File.ReadAllBytes(folder.Combine("b", relative)).Should().Equal(File.ReadAllBytes(folder.Combine("a", relative)), relative);

        // The bundle serves its method when none is asked for, and says so when another is.
        using var sft = SoftRecommender.Load(folder.Combine("a"));
        sft.Method.Should().Be(ReportMethodNames.Sft);
        using var fromRun = SoftRecommender.Load(run.Folder, new RecommenderOptions { Method = ReportMethodNames.Sft });
        var history = run.TestHistories()[0];
        sft.Recommend(history, 5).Select(r => r.ItemId).Should().Equal(fromRun.Recommend(history, 5).Select(r => r.ItemId));
        var other = () => SoftRecommender.Load(folder.Combine("a"), new RecommenderOptions { Method = ReportMethodNames.Soft });
        other.Should().Throw<ArgumentException>().WithMessage("*holds only the method 'SFT', not 'SOFT'*");
    }

    [Fact]
    public void A_changed_missing_or_added_file_is_named_and_a_newer_format_is_refused()
    {
        using var folder = new TempFolder();
        string original = folder.Combine("original");
        SoftRecommender.Export(run.Folder, ReportMethodNames.Soft, original);

        string Broken(string name, Action<string> damage)
        {
            string copy = folder.Combine(name);
            CopyFolder(original, copy);
            damage(copy);
            return copy;
        }
        void Refused(string bundle, string file, string message) =>
            FluentActions.Invoking(() => SoftRecommender.Load(bundle)).Should().Throw<BundleIntegrityException>().WithMessage(message)
                .Which.FileName.Should().Be(file);

        Refused(Broken("weights", b => FlipByte(Path.Combine(b, "model", "model.safetensors"))), "model/model.safetensors", "*model.safetensors: the file changed after export*");
        Refused(Broken("catalog", b => File.AppendAllText(Path.Combine(b, "catalog.jsonl"), "\n")), "catalog.jsonl", "*catalog.jsonl: the file changed after export*");
        Refused(Broken("missing", b => File.Delete(Path.Combine(b, "model", "config.json"))), "model/config.json", "*config.json: the bundle's manifest lists this file, but it is missing*");
        Refused(Broken("added", b => File.WriteAllText(Path.Combine(b, "model", "tokenizer.json"), "{}")), "model/tokenizer.json", "*tokenizer.json: the bundle's manifest does not list this file*");

        string manifest = File.ReadAllText(Path.Combine(original, BundleManifest.FileName));
        manifest.Should().Contain("\"formatVersion\": 1");
        string newer = Broken("newer", b => File.WriteAllText(Path.Combine(b, BundleManifest.FileName), manifest.Replace("\"formatVersion\": 1", "\"formatVersion\": 2", StringComparison.Ordinal)));
        FluentActions.Invoking(() => SoftRecommender.Load(newer)).Should().Throw<InvalidDataException>().WithMessage("*format version 2, written by a newer Soft; this version reads up to 1*");
        string garbled = Broken("garbled", b => File.WriteAllText(Path.Combine(b, BundleManifest.FileName), manifest[..40]));
        FluentActions.Invoking(() => SoftRecommender.Load(garbled)).Should().Throw<InvalidDataException>().WithMessage($"*{BundleManifest.FileName}: not a valid bundle manifest*");
        string climbing = Broken("climbing", b => File.WriteAllText(Path.Combine(b, BundleManifest.FileName), manifest.Replace("\"model/config.json\"", "\"model/../../config.json\"", StringComparison.Ordinal)));
        FluentActions.Invoking(() => SoftRecommender.Load(climbing)).Should().Throw<InvalidDataException>().WithMessage("*lists 'model/../../config.json', which is not a path inside the bundle*");

        using var intact = SoftRecommender.Load(original);
        intact.Recommend(run.TestHistories()[0], 3).Should().HaveCount(3, "the checks fail only on a broken bundle");
    }

    [Fact]
    public void Export_refuses_a_full_folder_an_unknown_method_or_a_damaged_run_and_leaves_nothing_behind()
    {
        using var folder = new TempFolder();
        string full = folder.Combine("full");
        Directory.CreateDirectory(full);
        File.WriteAllText(Path.Combine(full, "keep.txt"), "mine");
        var intoFull = () => SoftRecommender.Export(run.Folder, ReportMethodNames.Soft, full);
        intoFull.Should().Throw<IOException>().WithMessage("*already exists and is not empty*");
        Directory.EnumerateFileSystemEntries(full).Should().Equal(Path.Combine(full, "keep.txt"));

        var unknown = () => SoftRecommender.Export(run.Folder, "BIGRec", folder.Combine("unknown"));
        unknown.Should().Throw<ArgumentException>().WithMessage("*no method 'BIGRec'*'SFT', 'SOFT'*").Which.ParamName.Should().Be("method");
        using (var cancelled = new CancellationTokenSource())
        {
            cancelled.Cancel();
            var act = () => SoftRecommender.Export(run.Folder, ReportMethodNames.Soft, folder.Combine("cancelled"), cancelled.Token);
            act.Should().Throw<OperationCanceledException>();
        }

        // A run whose weights changed after their stage finished fails half-way through the copy: no bundle, no staging folder.
        string damaged = folder.Combine("damaged-run");
        CopyFolder(run.Folder, damaged);
        FlipByte(Path.Combine(damaged, "soft", "best", "model.safetensors"));
        var fromDamaged = () => SoftRecommender.Export(damaged, ReportMethodNames.Soft, folder.Combine("from-damaged"));
        fromDamaged.Should().Throw<InvalidDataException>().WithMessage("*model.safetensors differs from what the run recorded when its stage 'soft' finished*");

        SoftRecommender.Export(run.Folder, ReportMethodNames.Soft, folder.Combine("bundle"));
        var fromBundle = () => SoftRecommender.Export(folder.Combine("bundle"), ReportMethodNames.Soft, folder.Combine("again"));
        fromBundle.Should().Throw<ArgumentException>().WithMessage("*already a bundle*");
        Directory.EnumerateFileSystemEntries(folder.Path).Select(Path.GetFileName).Should().BeEquivalentTo(["full", "damaged-run", "bundle"]);
    }

    private static void CopyFolder(string source, string destination)
    {
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void FlipByte(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }
}
