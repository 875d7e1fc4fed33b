using Soft.Distillation;
using Soft.Evaluation;
using Soft.Metrics.Constrained;
using Soft.Metrics.Grounding;

namespace Soft.Tests.Pipeline;

// A run folder hashes each part's Fingerprint(); a part whose text changes makes every existing folder refuse its run.
// These strings were recorded before the decoding settings moved between types, and must not change with such moves.
public sealed class DecodingFingerprintTests
{
    private static string Text(ISelfDistiller distiller) => distiller.Fingerprint().ToJsonString();

    private static string Text(IRecommendationEvaluator evaluator) => evaluator.Fingerprint().ToJsonString();

    [Fact]
    public void The_distillers_fingerprint_text_is_unchanged_for_default_and_customised_decoding()
    {
        Text(new BeamSelfDistiller()).Should().Be(
            """{"type":"Soft.Distillation.BeamSelfDistiller","settings":{"Name":"beam","Options":{"Decoding":{"NumBeams":4,"MaxNewTokens":64,"LengthPenalty":1,"BatchSize":8},"NumReturnSequences":4,"SoftLabels":50,"SnapToCatalog":false,"PartialResultsPath":null}}}""");
        var customised = new BeamSelfDistillerOptions { Decoding = { NumBeams = 6, NumReturnSequences = 5, MaxNewTokens = 12, LengthPenalty = 0.5 }, BatchSize = 3 };
        Text(new BeamSelfDistiller(customised)).Should().Be(
            """{"type":"Soft.Distillation.BeamSelfDistiller","settings":{"Name":"beam","Options":{"Decoding":{"NumBeams":6,"MaxNewTokens":12,"LengthPenalty":0.5,"BatchSize":3},"NumReturnSequences":5,"SoftLabels":50,"SnapToCatalog":false,"PartialResultsPath":null}}}""");
    }

    [Fact]
    public void The_grounding_evaluators_fingerprint_text_is_unchanged_for_default_and_customised_decoding()
    {
        Text(new GroundingEvaluator()).Should().Be(
            """{"type":"Soft.Metrics.Grounding.GroundingEvaluator","settings":{"Name":"grounding","Options":{"Decoding":{"NumBeams":4,"MaxNewTokens":64,"LengthPenalty":1,"BatchSize":8},"FirstItemOfEachTitle":true,"ItemVectors":0,"EmbeddingBatchSize":64}}}""");
        var customised = new GroundingEvaluatorOptions { Decoding = { NumBeams = 2, MaxNewTokens = 16, LengthPenalty = 0 }, BatchSize = 5 };
        Text(new GroundingEvaluator(customised)).Should().Be(
            """{"type":"Soft.Metrics.Grounding.GroundingEvaluator","settings":{"Name":"grounding","Options":{"Decoding":{"NumBeams":2,"MaxNewTokens":16,"LengthPenalty":0,"BatchSize":5},"FirstItemOfEachTitle":true,"ItemVectors":0,"EmbeddingBatchSize":64}}}""");
    }

    [Fact]
    public void The_constrained_beam_evaluators_fingerprint_text_is_unchanged_for_default_and_customised_decoding()
    {
        Text(new ConstrainedBeamEvaluator()).Should().Be(
            """{"type":"Soft.Metrics.Constrained.ConstrainedBeamEvaluator","settings":{"Name":"constrained-beam","Options":{"Decoding":{"NumBeams":10,"MaxNewTokens":null,"LengthPenalty":0,"BatchSize":4},"FirstItemOfEachTitle":true}}}""");
        var customised = new ConstrainedBeamEvaluatorOptions { Decoding = { NumBeams = 20, MaxNewTokens = 9, LengthPenalty = 1 }, BatchSize = 2 };
        Text(new ConstrainedBeamEvaluator(customised)).Should().Be(
            """{"type":"Soft.Metrics.Constrained.ConstrainedBeamEvaluator","settings":{"Name":"constrained-beam","Options":{"Decoding":{"NumBeams":20,"MaxNewTokens":9,"LengthPenalty":1,"BatchSize":2},"FirstItemOfEachTitle":true}}}""");
    }

    [Fact]
    public void A_decoding_setting_beyond_the_first_four_enters_the_fingerprint_only_where_the_part_reads_it()
    {
        var stopAtSeven = new GroundingEvaluatorOptions { Decoding = { StopTokenIds = [7] } };
        Text(new GroundingEvaluator(stopAtSeven)).Should().Contain("""{"NumBeams":4,"MaxNewTokens":64,"LengthPenalty":1,"BatchSize":8,"StopTokenIds":[7]}""");

        // The constrained beam stops at the trie's EOS whatever is set, so its fingerprint does not move.
        var constrained = new ConstrainedBeamEvaluatorOptions { Decoding = { StopTokenIds = [7] } };
        Text(new ConstrainedBeamEvaluator(constrained)).Should().Be(Text(new ConstrainedBeamEvaluator()));
    }
}
