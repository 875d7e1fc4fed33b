using System.Text.Json;
using System.Text.Json.Nodes;
using Soft.Reporting;
using Soft.Training;

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
            "results", "training", "distillation", "stageSeconds", "datasetStatistics", "notes");
        doc.RootElement.GetProperty("seed").GetInt64().Should().Be(42);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("method").GetString()).Should().Equal("SFT", "SOFT", "Guidance-only");
        results[2].GetProperty("evaluator").GetString().Should().Be("grounding");
        results[2].GetProperty("metrics").GetProperty("NDCG@20").GetDouble().Should().Be(0.048);
        results[1].GetProperty("metrics").GetProperty("MRR").GetDouble().Should().Be(0.035);
    }

    [Fact]
    public void Training_holds_each_method_with_why_it_stopped_the_kept_epoch_and_its_epochs()
    {
        using var doc = JsonDocument.Parse(ReportSamples.Full().ToJson());

        var training = doc.RootElement.GetProperty("training");
        training.EnumerateObject().Select(p => p.Name).Should().Equal("SFT", "SOFT");
        var soft = training.GetProperty("SOFT");
        soft.EnumerateObject().Select(p => p.Name).Should().Equal("stopReason", "bestEpoch", "epochs", "metricName", "initialDistance", "epochRecords");
        soft.GetProperty("stopReason").GetString().Should().Be("MaxEpochs");
        training.GetProperty("SFT").GetProperty("stopReason").GetString().Should().Be("EarlyStopped");
        training.GetProperty("SFT").TryGetProperty("initialDistance", out _).Should().BeFalse("SFT measured no d_0");
        soft.GetProperty("epochs").GetInt32().Should().Be(2);
        soft.GetProperty("initialDistance").GetDouble().Should().Be(2.0);
        var second = soft.GetProperty("epochRecords")[1];
        second.GetProperty("lambda").GetDouble().Should().Be(0.7788);
        second.GetProperty("distance").GetDouble().Should().Be(1.2);
        second.GetProperty("realLoss").GetDouble().Should().Be(3.0);
        second.GetProperty("distilledLoss").GetDouble().Should().Be(1.5);
        second.GetProperty("validation").GetProperty("HR@10").GetDouble().Should().Be(0.09);
        var distillation = doc.RootElement.GetProperty("distillation");
        distillation.EnumerateObject().Select(p => p.Name).Should().Equal("prompts", "agreement", "distinctTargets", "distinctTrueTargets");
        distillation.GetProperty("agreement").GetDouble().Should().Be(0.125);
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
            "dataset", "baseModel", "seed", "results", "training", "stageSeconds", "notes");
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
        back.Training.Keys.Should().Equal("SFT", "SOFT");
        back.Training["SFT"].Should().Be(report.Training["SFT"]);
        back.Training["SOFT"].Should().Be(report.Training["SOFT"]);
        back.Training["SOFT"].EpochRecords[1].Should().Be(report.Training["SOFT"].EpochRecords[1]);
        back.Distillation.Should().Be(report.Distillation);
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
            Training = new Dictionary<string, MethodTraining>
            {
                ["SOFT"] = new()
                {
                    StopReason = TrainingStopReason.NonFinite,
                    MetricName = "HR@10",
                    EpochRecords = [new EpochRecord { Epoch = 1, Lambda = 1, CombinedLoss = double.NaN, DistilledLoss = double.PositiveInfinity, Steps = 4, LearningRate = 1e-4 }],
                },
            },
        };

        string json = report.ToJson();
        var back = SoftRunReport.FromJson(json);
        var entry = back.Training["SOFT"].EpochRecords.Single();

        json.Should().Contain("\"NaN\"");
        back.Should().Be(report);
        back.Training["SOFT"].BestEpoch.Should().BeNull();
        double.IsNaN(entry.CombinedLoss).Should().BeTrue();
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

    [Theory]
    [InlineData("\"curriculum\": [{\"epoch\": 0, \"lambda\": null, \"distance\": 2.0}]")]
    [InlineData("\"trainingLog\": {\"SFT\": [{\"epoch\": 1, \"trainLoss\": 3.2, \"lambda\": 0}]}")]
    public void A_report_with_the_curriculum_and_training_log_of_an_older_soft_is_refused_with_the_fix(string olderPart)
    {
        string results = JsonSerializer.Serialize(ReportSamples.Full().Results, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        string older = $$"""{"dataset": "d", "baseModel": "m", "seed": 1, "results": {{results}}, {{olderPart}}, "stageSeconds": {}, "notes": []}""";

        var act = () => SoftRunReport.FromJson(older);

        act.Should().Throw<InvalidDataException>().WithMessage("*older Soft*'curriculum' and 'trainingLog'*'training'*Run the pipeline in its folder again*");
        // The same report in today's layout reads: the refusal is about the layout, not the rest of the report.
        string current = $$"""{"dataset": "d", "baseModel": "m", "seed": 1, "results": {{results}}, "training": {}, "stageSeconds": {}, "notes": []}""";
        SoftRunReport.FromJson(current).Results.Should().HaveCount(3);
    }

    [Fact]
    public void A_method_training_without_epoch_records_is_refused_by_name()
    {
        string json = ReportSamples.Full().ToJson().Replace("\"epochRecords\"", "\"records\"", StringComparison.Ordinal);

        var act = () => SoftRunReport.FromJson(json);

        act.Should().Throw<InvalidDataException>().WithMessage("*epochRecords*");
    }

    [Fact]
    public void Reading_malformed_json_fails_with_invalid_data()
    {
        var act = () => SoftRunReport.FromJson("{\"dataset\": ");

        act.Should().Throw<InvalidDataException>();
    }
}
