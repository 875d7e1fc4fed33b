namespace Soft.Models.Scratch;

/// <summary>What a <see cref="CatalogPretrainer"/> run did.</summary>
/// <param name="Losses">The batch loss of every step, in order (the loss trace).</param>
/// <param name="Sequences">Training windows the texts were cut into.</param>
/// <param name="Tokens">Tokens in those windows, BOS and EOS included.</param>
/// <param name="SecondsPerStep">Mean wall-clock seconds per optimiser step.</param>
/// <param name="Validations">(step, metric) of every validation, in order; empty without a validation metric.</param>
/// <param name="BestStep">The step whose weights were kept: the best validation's, else the last step.</param>
internal sealed record PretrainingResult(IReadOnlyList<double> Losses, int Sequences, long Tokens, double SecondsPerStep,
    IReadOnlyList<(int Step, double Metric)> Validations, int BestStep);
