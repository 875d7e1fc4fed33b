namespace Soft.Serving;

/// <summary>One method of a run that a recommender can serve, as <see cref="ServingManifest"/> records it.</summary>
/// <param name="Name">The report's method name (<c>SOFT</c>, <c>SFT</c>, a variant's name, <c>Guidance-only</c>).</param>
/// <param name="Stage">The run stage that trains it (<c>soft</c>), recorded in the run's manifest once finished; null for the base model.</param>
/// <param name="Folder">
/// The trained weights, relative to the run folder (<c>soft/best</c>); null for the untuned base model itself.
/// </param>
/// <param name="Adapter">True when <paramref name="Folder"/> holds a PEFT LoRA adapter for the base model, false for full weights.</param>
internal sealed record ServedMethod(string Name, string? Stage, string? Folder, bool Adapter);
