using Soft.Data;
using Soft.Distillation;
using Soft.Reporting;

namespace Soft.Tests.Reporting;

public sealed class DistillationDiagnosticsTests
{
    private static readonly ItemCatalog Catalog = new(
    [
        new CatalogItem(0, "a", "Alpha"),
        new CatalogItem(1, "b", "Beta"),
        new CatalogItem(2, "c", "Gamma"),
        new CatalogItem(3, "d", "Alpha"), // shares its title with item 0
    ]);

    // True targets 0, 1, 1, 2, 3: items 0 to 3, four distinct as tokens, three as titles (0 and 3 are both "Alpha").
    private static readonly RecommendationSample[] Samples =
    [
        new("u1", [2], 0),
        new("u2", [0], 1),
        new("u3", [2], 1),
        new("u4", [1], 2),
        new("u5", [0], 3),
    ];

    [Fact]
    public void With_item_tokens_agreement_and_distinct_counts_are_exact()
    {
        var template = PromptTemplate.CompactItems(RecommendationDomain.Artists);
        // Answers 0 (right), 1 (right), 0 (wrong), 1 (wrong), 3 (right, with spaces around the token).
        var distilled = Distilled(template, ["<item_0>", "<item_1>", "<item_0>", "<item_1>", " <item_3> "]);

        var diagnostics = DistillationDiagnostics.Measure(distilled, Samples, template, Catalog);

        diagnostics.Prompts.Should().Be(5);
        diagnostics.Agreement.Should().Be(3.0 / 5);
        diagnostics.DistinctTargets.Should().Be(3, "items 0, 1 and 3");
        diagnostics.DistinctTrueTargets.Should().Be(4);
        diagnostics.SoftLabelTrueTargetProbability.Should().BeNull("the distiller kept no soft labels");
        diagnostics.SoftLabelEntropy.Should().BeNull();
    }

    [Fact]
    public void With_titles_an_answer_agrees_when_it_is_the_quoted_title_of_the_true_item()
    {
        var template = PromptTemplate.Compact(RecommendationDomain.Artists);
        string alpha = template.ItemText(0, Catalog), beta = template.ItemText(1, Catalog), gamma = template.ItemText(2, Catalog);
        // Right, wrong, right, right (surrounding spaces ignored), wrong (the bare title without quotes).
        var distilled = Distilled(template, [alpha, gamma, beta, " " + gamma, "Alpha"]);

        var diagnostics = DistillationDiagnostics.Measure(distilled, Samples, template, Catalog);

        diagnostics.Agreement.Should().Be(3.0 / 5);
        diagnostics.DistinctTargets.Should().Be(4, "\"Alpha\", \"Gamma\", \"Beta\" quoted and Alpha bare");
        diagnostics.DistinctTrueTargets.Should().Be(3, "items 0 and 3 share the title \"Alpha\"");
    }

    [Fact]
    public void Soft_labels_give_the_mean_renormalised_probability_of_the_true_item_and_the_mean_entropy()
    {
        var template = PromptTemplate.CompactItems(RecommendationDomain.Artists);
        var samples = Samples.Take(2).ToList(); // targets 0 and 1
        var distilled = Distilled(template, ["<item_0>", "<item_0>"]);
        // Prompt 1: 0.3 on the true item 0 and 0.3 on item 2, renormalised to 0.5 each. Prompt 2: the true item 1 is not kept.
        distilled[0] = distilled[0] with { SoftLabels = [new SoftLabel(0, 0.3), new SoftLabel(2, 0.3)] };
        distilled[1] = distilled[1] with { SoftLabels = [new SoftLabel(0, 0.9)] };

        var diagnostics = DistillationDiagnostics.Measure(distilled, samples, template, Catalog);

        diagnostics.Agreement.Should().Be(0.5);
        diagnostics.SoftLabelTrueTargetProbability.Should().BeApproximately((0.5 + 0) / 2, 1e-12);
        diagnostics.SoftLabelEntropy.Should().BeApproximately((Math.Log(2) + 0) / 2, 1e-12);
    }

    [Fact]
    public void D_hat_must_have_one_answer_per_sample()
    {
        var template = PromptTemplate.CompactItems(RecommendationDomain.Artists);

        var act = () => DistillationDiagnostics.Measure(Distilled(template, ["<item_0>"]), Samples, template, Catalog);

        act.Should().Throw<ArgumentException>().WithMessage("*1 distilled examples for 5 samples*");
    }

    [Fact]
    public void Describe_names_the_agreement_and_both_distinct_counts()
    {
        var diagnostics = new DistillationDiagnostics { Prompts = 5, Agreement = 0.6, DistinctTargets = 3, DistinctTrueTargets = 4 };

        diagnostics.Describe().Should().Be("5 prompts; agreement with the true targets 60.0 %; 3 distinct targets (true targets: 4 distinct)");
    }

    private static List<DistilledExample> Distilled(PromptTemplate template, string[] answers) =>
        [.. answers.Select((answer, i) => new DistilledExample(i, Samples[i].UserId, template.Render(Samples[i], Catalog).Prompt,
            template.ItemText(Samples[i].Target, Catalog), answer, [answer], [0.0]))];
}
