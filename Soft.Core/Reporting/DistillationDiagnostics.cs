using System.Globalization;
using System.Text.Json.Serialization;
using Soft.Data;
using Soft.Distillation;

namespace Soft.Reporting;

/// <summary>
/// What D̂, the SFT model's answers to its own training prompts, is like next to D: how often the answer is the true
/// next item, how varied the answers are, and, with soft labels, how much of their weight the true item gets. A D̂ that
/// agrees with D everywhere teaches SOFT nothing new; one that answers everybody alike teaches it to collapse.
/// </summary>
/// <remarks>
/// Serialised as <c>{"prompts": 4096, "agreement": 0.12, "distinctTargets": 310, "distinctTrueTargets": 1650,
/// "softLabelTrueTargetProbability": 0.08, "softLabelEntropy": 3.9}</c>; the soft-label facts are left out when D̂ has
/// no soft labels.
/// </remarks>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed record DistillationDiagnostics
{
    /// <summary>The number of training prompts the SFT model answered.</summary>
    public required int Prompts { get; init; }

    /// <summary>The share of prompts, in [0, 1], whose distilled top answer is the true next item.</summary>
    public required double Agreement { get; init; }

    /// <summary>The number of different distilled answers (as texts, so items that share a title count once).</summary>
    public required int DistinctTargets { get; init; }

    /// <summary>The number of different true targets of the same prompts, written as the template writes them.</summary>
    public required int DistinctTrueTargets { get; init; }

    /// <summary>
    /// The mean probability the soft labels give the true next item, after renormalising the kept labels to sum to 1
    /// as training does (0 for a prompt whose true item is not among them); null without soft labels.
    /// </summary>
    public double? SoftLabelTrueTargetProbability { get; init; }

    /// <summary>The mean entropy, in nats, of the renormalised soft labels; null without soft labels.</summary>
    public double? SoftLabelEntropy { get; init; }

    /// <summary>
    /// One line for readers: <c>"4096 prompts; agreement with the true targets 12.0 %; 310 distinct targets (true
    /// targets: 1650 distinct)"</c>, with the soft-label facts when there are some.
    /// </summary>
    /// <returns>The line, without a final full stop.</returns>
    public string Describe()
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{Prompts} prompts; agreement with the true targets {Agreement * 100:0.0} %; {DistinctTargets} distinct targets (true targets: {DistinctTrueTargets} distinct)");
        if (SoftLabelTrueTargetProbability is { } p && SoftLabelEntropy is { } h)
            line += string.Create(CultureInfo.InvariantCulture, $"; soft labels give the true target {p:0.0000} on average, entropy {h:0.000} nats");
        return line;
    }

    /// <summary>Measures D̂ against the samples it was distilled from.</summary>
    /// <param name="distilled">D̂, one example per sample, in the samples' order.</param>
    /// <param name="samples">The training samples the prompts were rendered from.</param>
    /// <param name="template">The template that rendered them: it says how a target is written.</param>
    /// <param name="catalog">The catalogue the samples' indices refer to.</param>
    /// <exception cref="ArgumentException">The lists are empty or differ in length.</exception>
    internal static DistillationDiagnostics Measure(IReadOnlyList<DistilledExample> distilled, IReadOnlyList<RecommendationSample> samples, PromptTemplate template, ItemCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(distilled);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(catalog);
        if (distilled.Count == 0 || distilled.Count != samples.Count)
            throw new ArgumentException($"{distilled.Count} distilled examples for {samples.Count} samples; D̂ has one answer per training prompt.", nameof(distilled));

        int agreeing = 0;
        for (int i = 0; i < distilled.Count; i++)
        {
            // An item-token answer is compared as an item, so spacing around the token does not matter.
            bool agrees = template.ItemTokens
                ? ItemTokenText.Parse(distilled[i].DistilledTarget) == samples[i].Target
                : string.Equals(distilled[i].DistilledTarget.Trim(), template.ItemText(samples[i].Target, catalog), StringComparison.Ordinal);
            if (agrees)
                agreeing++;
        }

        bool soft = distilled.All(d => d.SoftLabels is { Count: > 0 } labels && labels.Sum(l => l.Probability) > 0);
        return new DistillationDiagnostics
        {
            Prompts = distilled.Count,
            Agreement = (double)agreeing / distilled.Count,
            DistinctTargets = distilled.Select(d => d.DistilledTarget.Trim()).Distinct(StringComparer.Ordinal).Count(),
            DistinctTrueTargets = samples.Select(s => template.ItemText(s.Target, catalog)).Distinct(StringComparer.Ordinal).Count(),
            SoftLabelTrueTargetProbability = soft ? distilled.Select((d, i) => TrueTargetProbability(d.SoftLabels!, samples[i].Target)).Average() : null,
            SoftLabelEntropy = soft ? distilled.Average(d => Entropy(d.SoftLabels!)) : null,
        };
    }

    private static double TrueTargetProbability(IReadOnlyList<SoftLabel> labels, int target) =>
        labels.Where(l => l.Item == target).Sum(l => l.Probability) / labels.Sum(l => l.Probability);

    private static double Entropy(IReadOnlyList<SoftLabel> labels)
    {
        double sum = labels.Sum(l => l.Probability);
        return -labels.Where(l => l.Probability > 0).Sum(l => l.Probability / sum * Math.Log(l.Probability / sum));
    }
}
