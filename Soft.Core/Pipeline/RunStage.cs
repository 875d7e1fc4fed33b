namespace Soft.Pipeline;

/// <summary>
/// The stages of a run a caller may ask to run again (the <c>rerun</c> argument of <see cref="SoftTrainer.RunAsync"/>).
/// Rerunning a stage also reruns every stage after it, because they were built from its output (new SFT weights
/// mean a new D̂, and so on); <see cref="Eval"/> reruns the test evaluations only.
/// </summary>
public enum RunStage
{
    /// <summary>The base model a run builds for itself (a scratch model, or a model folder with item tokens added).</summary>
    Base,

    /// <summary>What the evaluators prepare from the base model (BIGRec's item table).</summary>
    Items,

    /// <summary>Supervised fine-tuning on the real targets (λ = 0).</summary>
    Sft,

    /// <summary>Self-distillation: the SFT model answers its training prompts, giving D̂.</summary>
    Distill,

    /// <summary>SOFT: a fresh model trained on D and D̂ under the curriculum.</summary>
    Soft,

    /// <summary>Every variant (<see cref="CurriculumVariant"/>), the ablation without self-adaptation included.</summary>
    Variants,

    /// <summary>Every test evaluation, nothing else.</summary>
    Eval,
}
