using Soft.Reporting;

namespace Soft.Tests.Reporting;

public sealed class ReportMarkdownTests
{
    [Theory]
    [InlineData(0.08, 0.1, "+25.0 %")]
    [InlineData(0.1, 0.08, "-20.0 %")]
    [InlineData(0.3, 0.3, "+0.0 %")]
    [InlineData(0.07, 0.07861, "+12.3 %")]
    [InlineData(0.0, 0.01, "n/a")]
    public void Relative_gain_is_a_signed_percentage_or_na_when_SFT_scored_zero(double sft, double soft, string expected) =>
        ReportMarkdown.FormatRelativeGain(sft, soft).Should().Be(expected);

    [Fact]
    public void Relative_gain_is_na_when_a_value_is_missing()
    {
        ReportMarkdown.FormatRelativeGain(null, 0.1).Should().Be("n/a");
        ReportMarkdown.FormatRelativeGain(0.1, null).Should().Be("n/a");
    }

    [Fact]
    public void Renders_the_fixed_report_exactly()
    {
        string markdown = ReportMarkdown.Render(ReportSamples.Full(), ["plots/training-loss.png", "plots/hit rate.png"]);

        markdown.Should().Be(Golden);
    }

    [Fact]
    public void Write_links_the_plots_present_in_the_folder()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("plots"));
        File.WriteAllBytes(temp.Combine("plots", "b.png"), [1]);
        File.WriteAllBytes(temp.Combine("plots", "a.png"), [1]);
        File.WriteAllBytes(temp.Combine("plots", "notes.txt"), [1]);

        string path = ReportMarkdown.Write(temp.Path, ReportSamples.Full());

        path.Should().Be(temp.Combine("report.md"));
        string text = File.ReadAllText(path);
        text.Should().Contain("![a](plots/a.png)\n\n![b](plots/b.png)\n");
        text.Should().NotContain("notes.txt");
    }

    [Fact]
    public void A_single_method_has_no_bold_and_no_gain_section()
    {
        var report = ReportSamples.Full() with
        {
            Results = [new MethodResult("SFT", "grounding", ReportSamples.Metrics(0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3, 0.4, 0.2))],
        };

        string markdown = ReportMarkdown.Render(report);

        markdown.Should().NotContain("**0.").And.NotContain("## SOFT over SFT").And.NotContain("## Plots");
    }

    [Fact]
    public void The_training_section_says_why_a_diverged_stage_stopped_and_shows_soft_label_facts()
    {
        var report = ReportSamples.Full() with
        {
            Training = new Dictionary<string, MethodTraining>
            {
                ["SOFT soft labels"] = new()
                {
                    StopReason = Soft.Training.TrainingStopReason.NonFinite,
                    BestEpoch = 1,
                    MetricName = "NDCG@10",
                    EpochRecords = [ReportSamples.Epoch(1, lambda: 1, distance: 0.5, real: 4.0, distilled: 2.0, combined: 2.0, hr10: 0.1, ndcg10: 0.05)],
                },
            },
            Distillation = new DistillationDiagnostics
            {
                Prompts = 8, Agreement = 0.25, DistinctTargets = 3, DistinctTrueTargets = 7, SoftLabelTrueTargetProbability = 0.3, SoftLabelEntropy = 1.25,
            },
        };

        string markdown = ReportMarkdown.Render(report);

        markdown.Should().Contain("## Training").And.NotContain("## Curriculum");
        markdown.Should().Contain("**SOFT soft labels**: stopped in epoch 2 (non-finite loss; the epoch was dropped), kept epoch 1.");
        markdown.Should().Contain("| Epoch | λ | d | Loss on D | Loss on D̂ | NDCG@10 (validation) |\n|---:|---:|---:|---:|---:|---:|\n| 1 | 1.0000 | 0.5000 | 4.0000 | 2.0000 | 0.0500 |\n");
        markdown.Should().Contain("Self-distillation (D̂): 8 prompts; agreement with the true targets 25.0 %; 3 distinct targets (true targets: 7 distinct); soft labels give the true target 0.3000 on average, entropy 1.250 nats.");
    }

    [Fact]
    public void A_report_without_training_has_no_training_section()
    {
        var report = ReportSamples.Full() with { Training = new Dictionary<string, MethodTraining>(), Distillation = null };

        ReportMarkdown.Render(report).Should().NotContain("## Training").And.NotContain("Self-distillation");
    }

    private const string Golden = """
        # SOFT run report: lastfm

        | Fact | Value |
        |---|---|
        | Dataset | lastfm |
        | Base model | stories260K |
        | Preset | quick |
        | Seed | 42 |
        | Device | cpu |
        | Threads | 2 |
        | Started | 2026-11-29 05:00:00 UTC |
        | Wall time | 1:02:03 |
        | Peak memory | 1.50 GiB |

        ## Test metrics

        | Method | Evaluator | HR@1 | HR@5 | HR@10 | HR@20 | NDCG@1 | NDCG@5 | NDCG@10 | NDCG@20 | MRR |
        |---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
        | SFT | grounding | 0.0000 | 0.0400 | 0.0800 | 0.1200 | 0.0000 | 0.0210 | 0.0340 | 0.0450 | 0.0300 |
        | SOFT | grounding | 0.0100 | **0.0500** | **0.1000** | **0.1500** | 0.0100 | **0.0300** | **0.0400** | **0.0500** | **0.0350** |
        | Guidance-only | grounding | **0.0200** | 0.0450 | 0.0900 | 0.1300 | **0.0200** | 0.0280 | 0.0380 | 0.0480 | 0.0330 |

        Best value per column and evaluator in bold.

        ## SOFT over SFT (grounding)

        | Metric | SFT | SOFT | Relative gain |
        |---|---:|---:|---:|
        | HR@1 | 0.0000 | 0.0100 | n/a |
        | HR@5 | 0.0400 | 0.0500 | +25.0 % |
        | HR@10 | 0.0800 | 0.1000 | +25.0 % |
        | HR@20 | 0.1200 | 0.1500 | +25.0 % |
        | NDCG@1 | 0.0000 | 0.0100 | n/a |
        | NDCG@5 | 0.0210 | 0.0300 | +42.9 % |
        | NDCG@10 | 0.0340 | 0.0400 | +17.6 % |
        | NDCG@20 | 0.0450 | 0.0500 | +11.1 % |
        | MRR | 0.0300 | 0.0350 | +16.7 % |

        ## Training

        λ weighs the loss on D̂ (the SFT model's own answers) against the loss on D (the true targets); both losses are measured every epoch, whatever λ. d is the mean grounded distance measured after the epoch (epoch 0: before training). The last column is the validation metric that picks the kept epoch.

        **SFT**: stopped at epoch 2 (early-stopped: HR@10 did not improve), kept epoch 1.

        | Epoch | λ | d | Loss on D | Loss on D̂ | HR@10 (validation) |
        |---:|---:|---:|---:|---:|---:|
        | 1 | 0.0000 | — | 3.2000 | — | 0.0700 |
        | 2 | 0.0000 | — | 2.9000 | — | 0.0500 |

        **SOFT**: stopped at epoch 2 (max epochs), kept epoch 2.

        | Epoch | λ | d | Loss on D | Loss on D̂ | HR@10 (validation) |
        |---:|---:|---:|---:|---:|---:|
        | 0 | — | 2.0000 | — | — | — |
        | 1 | 1.0000 | 1.5000 | 3.3000 | 1.6000 | 0.0600 |
        | 2 | 0.7788 | 1.2000 | 3.0000 | 1.5000 | 0.0900 |

        Self-distillation (D̂): 64 prompts; agreement with the true targets 12.5 %; 9 distinct targets (true targets: 51 distinct).

        ## Stage timings

        | Stage | Time |
        |---|---:|
        | items | 12.5 s |
        | sft | 30:00 |
        | distill | 10:00 |
        | soft | 21:50 |
        | **Total** | **1:02:03** |

        ## Plots

        ![training-loss](plots/training-loss.png)

        ![hit rate](plots/hit%20rate.png)

        ## Notes

        - Tiny model: numbers show the pipeline works, not the paper's gains.


        """;
}
