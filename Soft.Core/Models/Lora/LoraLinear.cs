using Soft.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models.Lora;

/// <summary>
/// A frozen <see cref="Linear"/> plus a trainable low-rank update:
/// <c>y = base(x) + B(A(dropout(x))) · alpha / r</c>, as in PEFT's LoRA <c>Linear</c> layer.
/// </summary>
/// <remarks>
/// <para>
/// Submodule names follow PEFT so that state-dict keys line up with it: <c>base_layer</c> (the original layer),
/// <c>lora_A</c> (<c>[r, in]</c>, Kaiming-uniform with a = √5, the default of <c>nn.Linear</c>) and <c>lora_B</c>
/// (<c>[out, r]</c>, zeros, so a fresh adapter leaves the output unchanged). PEFT keeps one entry per adapter name
/// under <c>lora_A.default</c>; Soft holds a single adapter, so its keys already have the form PEFT saves.
/// </para>
/// <para>
/// <see cref="Merge"/> folds the update into the base weight for inference; <see cref="Unmerge"/> takes it out again.
/// While merged, the adapter path is skipped. While <see cref="AdapterEnabled"/> is false, the layer returns the
/// base layer's output only.
/// </para>
/// </remarks>
internal sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict keys, spelled as in PEFT.
    private readonly Linear base_layer;
    private readonly Linear lora_A;
    private readonly Linear lora_B;

    private bool _enabled = true;

    /// <summary>Wraps <paramref name="baseLayer"/>, freezes its weight and bias, and takes its training mode.</summary>
    /// <param name="baseLayer">The layer to adapt; it becomes the submodule <c>base_layer</c> and is owned from now on.</param>
    /// <param name="rank">Rank r; at least 1.</param>
    /// <param name="alpha">Scaling numerator; the update is multiplied by alpha / r. Finite and above 0.</param>
    /// <param name="dropout">Dropout probability on the adapter input in training mode; in [0, 1).</param>
    /// <exception cref="ArgumentNullException"><paramref name="baseLayer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is outside its range.</exception>
    public LoraLinear(Linear baseLayer, int rank, double alpha, double dropout)
        : base(nameof(LoraLinear))
    {
        ArgumentNullException.ThrowIfNull(baseLayer);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        if (!(alpha > 0) || double.IsInfinity(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a finite number above 0.");
        }

        if (!(dropout >= 0 && dropout < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1).");
        }

        var weight = baseLayer.weight ?? throw new ArgumentException("The base layer has no weight.", nameof(baseLayer));
        Rank = rank;
        Alpha = alpha;
        Dropout = dropout;
        InFeatures = baseLayer.in_features;
        OutFeatures = baseLayer.out_features;

        base_layer = baseLayer;
        lora_A = nn.Linear(InFeatures, rank, hasBias: false, device: weight.device, dtype: weight.dtype);
        lora_B = nn.Linear(rank, OutFeatures, hasBias: false, device: weight.device, dtype: weight.dtype);
        using (no_grad())
        {
            nn.init.kaiming_uniform_(lora_A.weight!, a: Math.Sqrt(5));
            nn.init.zeros_(lora_B.weight!);
        }

        weight.requires_grad = false;
        if (baseLayer.bias is { } bias)
        {
            bias.requires_grad = false;
        }

        RegisterComponents();

        // New modules start in training mode; a layer injected into a model in eval mode must not start dropping out.
        train(baseLayer.training);
    }

    /// <summary>The wrapped layer (<c>base_layer</c>); its parameters are frozen.</summary>
    public Linear BaseLayer => base_layer;

    /// <summary>The down projection A (<c>lora_A</c>, weight <c>[r, in]</c>).</summary>
    public Linear LoraA => lora_A;

    /// <summary>The up projection B (<c>lora_B</c>, weight <c>[out, r]</c>).</summary>
    public Linear LoraB => lora_B;

    /// <summary>Rank r of the update.</summary>
    public int Rank { get; }

    /// <summary>Scaling numerator alpha.</summary>
    public double Alpha { get; }

    /// <summary>Factor applied to B·A: alpha / r.</summary>
    public double Scaling => Alpha / Rank;

    /// <summary>Dropout probability on the adapter input in training mode.</summary>
    public double Dropout { get; }

    /// <summary>Input features of the base layer.</summary>
    public long InFeatures { get; }

    /// <summary>Output features of the base layer.</summary>
    public long OutFeatures { get; }

    /// <summary>Whether the update is currently folded into the base weight.</summary>
    public bool IsMerged { get; private set; }

    /// <summary>
    /// Whether the adapter takes part in <see cref="forward"/>; when false the layer computes the base layer only.
    /// Disabling a merged layer unmerges it first, as PEFT does, so that "disabled" always means the base weights.
    /// </summary>
    public bool AdapterEnabled
    {
        get => _enabled;
        set
        {
            if (!value && IsMerged)
            {
                Unmerge();
            }

            _enabled = value;
        }
    }

    /// <summary>Computes <c>base(x) + B(A(dropout(x))) · scaling</c>, or <c>base(x)</c> when merged or disabled.</summary>
    /// <param name="input">Input of shape <c>[*, in]</c>.</param>
    /// <returns>Output of shape <c>[*, out]</c>.</returns>
    public override Tensor forward(Tensor input)
    {
        if (!_enabled || IsMerged)
        {
            return base_layer.call(input);
        }

        using var scope = NewDisposeScope();
        var result = base_layer.call(input);
        var x = input.dtype == lora_A.weight!.dtype ? input : input.to_type(lora_A.weight!.dtype);
        if (Dropout > 0)
        {
            x = nn.functional.dropout(x, Dropout, training);
        }

        using var scaling = Scaling.ToScalar();
        var update = lora_B.call(lora_A.call(x)).mul(scaling);
        return result.add(update.to_type(result.dtype), Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>The update <c>scaling · B·A</c> with the base weight's shape <c>[out, in]</c>, detached from autograd.</summary>
    /// <returns>A new tensor in the base weight's dtype, owned by the caller.</returns>
    public Tensor DeltaWeight()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var weight = base_layer.weight!;
        // Half-precision matmul on CPU is slow and loses bits; do the product in float32 and round once.
        var a = lora_A.weight!.to_type(ScalarType.Float32);
        var b = lora_B.weight!.to_type(ScalarType.Float32);
        using var scaling = Scaling.ToScalar();
        return b.matmul(a).mul(scaling).to_type(weight.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Adds the update to the base weight (W += scaling · B·A); later calls skip the adapter path.</summary>
    /// <remarks>Does nothing when already merged.</remarks>
    public void Merge()
    {
        if (IsMerged)
        {
            return;
        }

        using var delta = DeltaWeight();
        using (no_grad())
        {
            base_layer.weight!.add_(delta, Scalars.One);
        }

        IsMerged = true;
    }

    /// <summary>Subtracts the update from the base weight, restoring it up to floating-point rounding.</summary>
    /// <remarks>Does nothing when not merged.</remarks>
    public void Unmerge()
    {
        if (!IsMerged)
        {
            return;
        }

        using var delta = DeltaWeight();
        using (no_grad())
        {
            base_layer.weight!.sub_(delta);
        }

        IsMerged = false;
    }
}
