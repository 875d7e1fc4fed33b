using System.Text.Json;
using System.Text.Json.Nodes;
using Soft.Curriculum;
using Soft.Reporting;

namespace Soft.Tests.Reporting;

public sealed class SoftRunReportTests
{
    [Fact]
    public void Json_has_exactly_the_documented_top_level_keys_in_order()
    {
        var report = ReportSamples.Full() with { DatasetStatistics = new JsonObject { ["users"] = 3 } };

        using var doc = JsonDocument.Parse(report.ToJson());

        doc.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(
            "dataset", "baseModel", "seed", "preset", "device", "threads", "startedAt", "finishedAt", "peakMemoryBytes",
            "results", "curriculum", "stageSeconds", "trainingLog", "datasetStatistics", "notes");
        doc.RootElement.GetProperty("seed").GetInt64().Should().Be(42);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("method").GetString()).Should().Equal("SFT", "SOFT", "Guidance-only");
        results[2].GetProperty("evaluator").GetString().Should().Be("grounding");
        results[2].GetProperty("metrics").GetProperty("NDCG@20").GetDouble().Should().Be(0.048);
        results[1].GetProperty("metrics").GetProperty("MRR").GetDouble().Should().Be(0.035);
    }

    [Fact]
    public void Curriculum_rows_always_carry_epoch_lambda_and_distance()
    {
        using var doc = JsonDocument.Parse(ReportSamples.Full().ToJson());

        var first = doc.RootElement.GetProperty("curriculum")[0];
        first.EnumerateObject().Select(p => p.Name).Should().Equal("epoch", "lambda", "distance");
        first.GetProperty("lambda").ValueKind.Should().Be(JsonValueKind.Null);
        first.GetProperty("distance").GetDouble().Should().Be(2.0);
    }

    [Fact]
    public void Optional_facts_that_are_null_are_left_out()
    {
        var report = new SoftRunReport
        {
            Dataset = "d",
            BaseModel = "m",
            Seed = 1,
            Results = [new MethodResult("SFT", "exact", ReportSamples.Metrics(0, 0, 0, 0, 0, 0, 0, 0, 0))],
        };

        using var doc = JsonDocument.Parse(report.ToJson());

        doc.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(
            "dataset", "baseModel", "seed", "results", "curriculum", "stageSeconds", "notes");
    }

    [Fact]
    public void Saved_report_reads_back_equal()
    {
        using var temp = new TempFolder();
        var report = ReportSamples.Full() with { DatasetStatistics = new JsonObject { ["name"] = "lastfm", ["users"] = 3 } };
        string path = temp.Combine(SoftRunReport.FileName);

        report.Save(path);
        var back = SoftRunReport.Load(path);

        back.Should().Be(report);
        back.TrainingLog!["SOFT"].Should().Equal(report.TrainingLog!["SOFT"]);
        back.Curriculum.Should().Equal(report.Curriculum);
        back.StartedAt.Should().Be(report.StartedAt);
        JsonNode.DeepEquals(back.DatasetStatistics, report.DatasetStatistics).Should().BeTrue();
        Directory.GetFiles(temp.Path).Should().ContainSingle("the write goes through a temporary file that is renamed");
    }

    [Fact]
    public void Reports_that_differ_in_one_metric_are_not_equal()
    {
        var report = ReportSamples.Full();
        var results = report.Results.Select(r => r.Method == "SOFT" ? r with { Metrics = ReportSamples.Metrics(0.01, 0.05, 0.1, 0.15, 0.01, 0.03, 0.04, 0.05, 0.036) } : r).ToList();

        ReportSamples.Full().Should().Be(report);
        (report with { Results = results }).Should().NotBe(report);
    }

    [Fact]
    public void Non_finite_losses_survive_the_round_trip()
    {
        var report = ReportSamples.Full() with
        {
            TrainingLog = new Dictionary<string, IReadOnlyList<TrainingLogEntry>>
            {
                ["SOFT"] = [new TrainingLogEntry { Epoch = 1, TrainLoss = double.NaN, DistilledLoss = double.PositiveInfinity, Lambda = 1 }],
            },
        };

        string json = report.ToJson();
        var entry = SoftRunReport.FromJson(json).TrainingLog!["SOFT"].Single();

        json.Should().Contain("\"NaN\"");
        double.IsNaN(entry.TrainLoss).Should().BeTrue();
        entry.DistilledLoss.Should().Be(double.PositiveInfinity);
        entry.RealLoss.Should().BeNull();
    }

    [Fact]
    public void A_method_without_a_required_cutoff_is_refused_by_name()
    {
        var metrics = new Dictionary<string, double>(ReportSamples.Metrics(0, 0, 0, 0, 0, 0, 0, 0, 0));
        metrics.Remove("NDCG@20");
        var report = ReportSamples.Full() with
        {
            Results = [new MethodResult("SOFT", "exact", metrics)],
        };

        var act = () => report.ToJson();

        act.Should().Throw<InvalidOperationException>().WithMessage("*'SOFT' under 'exact' lacks NDCG@20*");
    }

    [Fact]
    public void Reading_a_report_without_methods_fails_with_the_file_name()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("report.json");
        File.WriteAllText(path, """{"dataset": "d", "baseModel": "m", "seed": 1, "results": []}""");

        var act = () => SoftRunReport.Load(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"{path}:*'results' holds no result*");

        // Reports of the layout before typed results keyed methods by "{method} ({evaluator})".
        File.WriteAllText(path, """{"dataset": "d", "baseModel": "m", "seed": 1, "methods": {"SFT": {}}}""");
        act.Should().Throw<InvalidDataException>().WithMessage($"{path}:*older Soft*'methods'*");
    }

    [Fact]
    public void Reading_malformed_json_fails_with_invalid_data()
    {
        var act = () => SoftRunReport.FromJson("{\"dataset\": ");

        act.Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void Epoch_statistics_become_log_entries_and_curriculum_rows()
    {
        var stats = new EpochStatistics(2, 0.5, 1.25, realLoss: 3.0, distilledLoss: 1.0, combinedLoss: 2.0,
            validation: new Dictionary<string, double> { ["HR@10"] = 0.1 });

        var entry = TrainingLogEntry.From(stats);
        var point = CurriculumPoint.From(stats);

        entry.Should().BeEquivalentTo(new TrainingLogEntry
        {
            Epoch = 2, TrainLoss = 2.0, RealLoss = 3.0, DistilledLoss = 1.0, Lambda = 0.5, Distance = 1.25,
            Validation = new Dictionary<string, double> { ["HR@10"] = 0.1 },
        });
        point.Should().Be(new CurriculumPoint { Epoch = 2, Lambda = 0.5, Distance = 1.25 });
    }
}
