using System.Collections.ObjectModel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models.Lora;

/// <summary>
/// The LoRA adapters attached to one model: injection, the trainable parameters, merge/unmerge, switching the
/// adapters off, unloading, and saving/loading in PEFT's folder layout.
/// </summary>
/// <remarks>
/// <para>
/// <b>For model authors.</b> <see cref="Inject"/> replaces each targeted <see cref="Linear"/> in place: it swaps the
/// parent's registration (<c>register_module(name, null)</c>, then <c>register_module(name, wrapper)</c>, keeping
/// the children's order) and also rewrites the parent's field that holds the layer, because a TorchSharp module's
/// <c>forward</c> reaches its submodules through its fields, not through the registration. So a layer that may be
/// adapted must be
/// </para>
/// <list type="bullet">
/// <item><description>held in an instance field of its parent module (readonly is fine), named like the Hugging Face
/// module, and</description></item>
/// <item><description>declared as <c>torch.nn.Module&lt;Tensor, Tensor&gt;</c>, not <c>Linear</c>: <c>Linear</c> is
/// sealed, so a field of that type cannot hold the <see cref="LoraLinear"/> wrapper, and</description></item>
/// <item><description>called through that field on every forward, with <c>call(x)</c> or <c>forward(x)</c> (both
/// dispatch to the wrapper); never copied into another variable or closure that outlives injection.</description></item>
/// </list>
/// <code>
/// private readonly nn.Module&lt;Tensor, Tensor&gt; q_proj;   // not: private readonly Linear q_proj;
/// ...
/// q_proj = nn.Linear(hidden, heads * headDim, hasBias: false);
/// ...
/// var q = q_proj.forward(x);
/// </code>
/// <para>
/// Layers kept only in a <c>ModuleList</c>, <c>ModuleDict</c> or <c>Sequential</c> cannot be targeted. Injection
/// refuses every such layout with an error naming the module and the field, before it changes anything.
/// </para>
/// <para>
/// Module paths are the model's own registration names; saved keys are <c>base_model.model.</c> + path +
/// <c>.lora_A.weight</c>/<c>.lora_B.weight</c>, which PEFT loads when the model's field names spell the Hugging Face
/// module names (for example <c>model.layers.0.self_attn.q_proj</c> for LLaMA, <c>transformer.h.0.attn.c_attn</c>
/// for GPT-2). After injection the base weight of a targeted layer lives at <c>&lt;path&gt;.base_layer.weight</c>, as
/// in PEFT: load the base checkpoint first, then inject; <see cref="Unload"/> or <see cref="MergeAndUnload"/> give the
/// original keys back.
/// </para>
/// <para>
/// <b>Trainable tokens.</b> With <see cref="LoraOptions.TrainableTokenIndices"/> the adapter also trains those rows of
/// the input embedding and of an untied output head (<see cref="CausalLMModule"/> models only), in PEFT's
/// <c>trainable_token_indices</c> layout: the base matrices stay frozen and keep their keys, the trained rows are
/// saved as <c>base_model.model.&lt;embedding path&gt;.token_adapter.trainable_tokens_delta</c> (and the same under
/// <c>lm_head</c> for an untied head). Switching the adapter off, merging and unloading treat them like the LoRA
/// matrices.
/// </para>
/// </remarks>
internal sealed class LoraAdapter
{
    private readonly LoraInjector.Injection _injection;
    private readonly List<(string Path, LoraLinear Layer)> _layers;
    private readonly LoraOptions _options;
    private readonly TrainableTokens? _tokens;

    private LoraAdapter(nn.Module model, LoraOptions options, LoraInjector.Injection injection, TrainableTokens? tokens)
    {
        Model = model;
        _options = options;
        _injection = injection;
        _tokens = tokens;
        _layers = injection.Layers;
        Layers = new ReadOnlyDictionary<string, LoraLinear>(_layers.ToDictionary(l => l.Path, l => l.Layer, StringComparer.Ordinal));
    }

    /// <summary>Name of the config file in an adapter folder, as PEFT names it.</summary>
    public const string ConfigFileName = PeftAdapterFiles.ConfigFileName;

    /// <summary>Name of the weights file in an adapter folder, as PEFT names it.</summary>
    public const string WeightsFileName = PeftAdapterFiles.WeightsFileName;

    /// <summary>The adapted model; its targeted layers are now <see cref="LoraLinear"/>.</summary>
    public nn.Module Model { get; }

    /// <summary>A copy of the options the adapters were built with.</summary>
    public LoraOptions Options => _options.Clone();

    /// <summary>The adapted layers by module path (for example <c>model.layers.0.self_attn.q_proj</c>).</summary>
    public IReadOnlyDictionary<string, LoraLinear> Layers { get; }

    /// <summary>The token ids whose embedding (and untied head) rows this adapter trains, ascending; empty for none.</summary>
    public IReadOnlyList<int> TrainableTokenIndices => _tokens?.Indices ?? [];

    /// <summary>Whether the adapters have been taken out of the model by <see cref="Unload"/> or <see cref="MergeAndUnload"/>.</summary>
    public bool IsUnloaded { get; private set; }

    /// <summary>Whether the updates are folded into the base weights (see <see cref="Merge"/>).</summary>
    public bool IsMerged => _layers.Count > 0 && _layers.All(l => l.Layer.IsMerged) && _tokens?.IsMerged != false;

    /// <summary>
    /// Whether the adapters take part in the forward pass. Setting false makes the model compute with its base
    /// weights only (unmerging first if needed), for example to get the base model's outputs as a teacher.
    /// </summary>
    public bool Enabled
    {
        get => _layers.All(l => l.Layer.AdapterEnabled) && _tokens?.Enabled != false;
        set
        {
            ThrowIfUnloaded();
            foreach (var (_, layer) in _layers)
            {
                layer.AdapterEnabled = value;
            }

            if (_tokens is not null)
            {
                // As for a LoRA layer: "disabled" means the base weights, so merged rows come out first.
                if (!value)
                {
                    _tokens.Unmerge();
                }

                _tokens.Enabled = value;
            }
        }
    }

    /// <summary>
    /// Wraps every <see cref="Linear"/> of <paramref name="model"/> that <paramref name="options"/> targets in a
    /// <see cref="LoraLinear"/> and freezes every other parameter.
    /// </summary>
    /// <param name="model">The model to adapt, changed in place. See the remarks for how it must hold its layers.</param>
    /// <param name="options">Rank, alpha, dropout and targets; validated first.</param>
    /// <returns>The adapters, which also give the parameters to train.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid, no module matched the targets (the message
    /// lists the targets and names of Linear modules the model has), or a trainable token id is outside the
    /// embedding.</exception>
    /// <exception cref="NotSupportedException">A target is not a <see cref="Linear"/>, or its parent holds it in a
    /// way LoRA cannot rewrite, or trainable tokens are asked of a model that is not a <see cref="CausalLMModule"/>;
    /// nothing was changed.</exception>
    /// <exception cref="InvalidOperationException">The model already has LoRA layers or trainable token rows.</exception>
    public static LoraAdapter Inject(nn.Module model, LoraOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        LoraOptionsValidator.ThrowIfInvalid(options);
        var own = options.Clone();
        CausalLMModule? causal = null;
        if (own.TrainableTokenIndices is { Count: > 0 })
        {
            causal = model as CausalLMModule ?? throw new NotSupportedException(
                $"LoraOptions.TrainableTokenIndices needs a Soft causal language model (TorchLanguageModel.Module), which knows its token matrices; a {model.GetType().Name} does not.");
            if (causal.TrainableTokens is not null)
            {
                throw new InvalidOperationException("The model already has trainable token rows from another adapter; unload it first.");
            }
        }

        // The rows are made first: a bad token id then fails before any layer is swapped.
        var tokens = causal is null ? null : new TrainableTokens(causal, [.. own.TrainableTokenIndices!]);
        LoraInjector.Injection injection;
        try
        {
            injection = LoraInjector.Inject(model, own);
        }
        catch
        {
            tokens?.Dispose();
            throw;
        }

        if (causal is not null)
        {
            causal.TrainableTokens = tokens;
        }

        return new LoraAdapter(model, own, injection, tokens);
    }

    /// <summary>
    /// Reads a PEFT adapter folder, injects adapters as its <c>adapter_config.json</c> describes and loads
    /// <c>adapter_model.safetensors</c> into them.
    /// </summary>
    /// <param name="model">The base model, without adapters; changed in place.</param>
    /// <param name="directory">The adapter folder.</param>
    /// <returns>The loaded adapters.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="FileNotFoundException">A file of the folder is missing.</exception>
    /// <exception cref="InvalidDataException">The config uses a PEFT feature Soft does not support, or a key is
    /// missing or unexpected, or a shape differs (the message names the key and both shapes). The model then
    /// already carries the adapters, with their initial weights.</exception>
    /// <exception cref="ArgumentException">The config's targets match no module of the model.</exception>
    public static LoraAdapter Load(nn.Module model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(directory);
        var config = PeftAdapterFiles.ReadConfig(directory);
        var adapter = Inject(model, config.ToOptions());
        PeftAdapterFiles.LoadWeights(directory, adapter._layers, adapter._tokens);
        return adapter;
    }

    /// <summary>
    /// Loads the adapter matrices of a PEFT folder into these adapters, after checking that its config has the same
    /// rank, alpha and targets and that every key and shape fits.
    /// </summary>
    /// <param name="directory">The adapter folder.</param>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is null.</exception>
    /// <exception cref="FileNotFoundException">A file of the folder is missing.</exception>
    /// <exception cref="InvalidDataException">The config disagrees with these adapters, or a key is missing or
    /// unexpected, or a shape differs; the message names them. No weight was changed.</exception>
    /// <exception cref="InvalidOperationException">The adapters are merged; unmerge first.</exception>
    public void LoadWeights(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ThrowIfUnloaded();
        if (_layers.Any(l => l.Layer.IsMerged) || _tokens?.IsMerged == true)
        {
            throw new InvalidOperationException("Cannot load adapter weights while they are merged into the base weights; call Unmerge first.");
        }

        var config = PeftAdapterFiles.ReadConfig(directory);
        ThrowIfConfigDisagrees(config.ToOptions(), Path.Combine(directory, ConfigFileName));
        PeftAdapterFiles.LoadWeights(directory, _layers, _tokens);
    }

    /// <summary>
    /// Writes <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> in PEFT's layout, each through a
    /// temporary file that is then renamed, replacing files of an earlier save.
    /// </summary>
    /// <param name="directory">The adapter folder; created when missing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is null.</exception>
    public void Save(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ThrowIfUnloaded();
        PeftAdapterFiles.Save(directory, _options, _layers, _tokens);
    }

    /// <summary>
    /// The adapter matrices, named by their path in <see cref="Model"/>, in model order, then the trainable token
    /// rows (input embedding first).
    /// </summary>
    /// <returns>Pairs such as (<c>model.layers.0.self_attn.q_proj.lora_A.weight</c>, parameter) and
    /// (<c>model.embed_tokens.token_adapter.trainable_tokens_delta</c>, parameter).</returns>
    /// <exception cref="InvalidOperationException">The adapters were unloaded.</exception>
    public IReadOnlyList<(string Name, Parameter Parameter)> NamedTrainableParameters()
    {
        ThrowIfUnloaded();
        return [
            .. _layers.SelectMany(l => new[] { ($"{l.Path}.lora_A.weight", l.Layer.LoraA.weight!), ($"{l.Path}.lora_B.weight", l.Layer.LoraB.weight!) }),
            .. _tokens?.Named() ?? [],
        ];
    }

    /// <summary>The adapter matrices and trainable token rows, the only parameters that train; pass them to the optimizer.</summary>
    /// <returns>Two parameters per adapted layer, then one or two of token rows.</returns>
    /// <exception cref="InvalidOperationException">The adapters were unloaded.</exception>
    public IReadOnlyList<Parameter> TrainableParameters() => [.. NamedTrainableParameters().Select(p => p.Parameter)];

    /// <summary>Counts trainable and all parameter elements of <see cref="Model"/>.</summary>
    /// <returns>The counts; <see cref="LoraParameterCount.ToString"/> prints them as PEFT does.</returns>
    public LoraParameterCount CountParameters()
    {
        long trainable = 0, total = 0;
        foreach (var (_, parameter) in Model.named_parameters())
        {
            total += parameter.numel();
            if (parameter.requires_grad)
            {
                trainable += parameter.numel();
            }
        }

        // The token rows are not registered in the module tree, but they are parameters of the adapted model.
        foreach (var (_, rows) in _tokens?.Named() ?? [])
        {
            total += rows.numel();
            trainable += rows.numel();
        }

        return new LoraParameterCount(trainable, total);
    }

    /// <summary>
    /// Folds every update into its base weight (and writes trainable token rows into their matrices), so that
    /// inference costs what the base model costs.
    /// </summary>
    public void Merge()
    {
        ThrowIfUnloaded();
        foreach (var (_, layer) in _layers)
        {
            layer.Merge();
        }

        _tokens?.Merge();
    }

    /// <summary>Takes every update out of its base weight again (exact up to floating-point rounding).</summary>
    public void Unmerge()
    {
        ThrowIfUnloaded();
        foreach (var (_, layer) in _layers)
        {
            layer.Unmerge();
        }

        _tokens?.Unmerge();
    }

    /// <summary>
    /// Takes the adapters out: every wrapper's original <see cref="Linear"/> goes back into its parent (field and
    /// registration, in the same place), the adapter matrices are disposed, and every parameter's requires_grad is as
    /// it was before <see cref="Inject"/>. The model then computes with its base weights, for example to start a
    /// fresh adapter from the same base model.
    /// </summary>
    /// <returns>The model, now without LoRA layers.</returns>
    /// <exception cref="InvalidOperationException">Already unloaded, or a LoRA layer was moved after injection.</exception>
    public nn.Module Unload()
    {
        ThrowIfUnloaded();
        Unmerge();
        LoraInjector.Remove(Model, _injection);
        RemoveTokens();
        IsUnloaded = true;
        return Model;
    }

    /// <summary>
    /// Folds every update into its base weight and then takes the adapters out as <see cref="Unload"/> does, so the
    /// model's state dict has its original keys again (<c>q_proj.weight</c>, no <c>base_layer</c>) with the tuned
    /// weights, ready to save as a full checkpoint.
    /// </summary>
    /// <returns>The model, now without LoRA layers and with the updates in its weights.</returns>
    /// <exception cref="InvalidOperationException">Already unloaded, or a LoRA layer was moved after injection.</exception>
    public nn.Module MergeAndUnload()
    {
        ThrowIfUnloaded();
        Merge();
        LoraInjector.Remove(Model, _injection);
        RemoveTokens();
        IsUnloaded = true;
        return Model;
    }

    // Detaches the token rows from the model; merged rows stay written into the base matrices.
    private void RemoveTokens()
    {
        if (_tokens is null)
        {
            return;
        }

        if (Model is CausalLMModule causal && ReferenceEquals(causal.TrainableTokens, _tokens))
        {
            causal.TrainableTokens = null;
        }

        _tokens.Dispose();
    }

    private void ThrowIfUnloaded()
    {
        if (IsUnloaded)
        {
            throw new InvalidOperationException("These LoRA adapters were unloaded from the model; inject new ones to go on.");
        }
    }

    private void ThrowIfConfigDisagrees(LoraOptions file, string path)
    {
        var problems = new List<string>();
        if (file.Rank != _options.Rank)
        {
            problems.Add($"r is {file.Rank} in the file but {_options.Rank} in the model");
        }

        if (Math.Abs(file.Alpha - _options.Alpha) > 1e-9 * Math.Max(1, Math.Abs(_options.Alpha)))
        {
            problems.Add($"lora_alpha is {file.Alpha} in the file but {_options.Alpha} in the model");
        }

        string fileTargets = new LoraTargetMatcher(file).Description;
        string modelTargets = new LoraTargetMatcher(_options).Description;
        bool sameTargets = file.TargetModulesPattern is not null || _options.TargetModulesPattern is not null
            ? file.TargetModulesPattern == _options.TargetModulesPattern
            : file.TargetModules.ToHashSet(StringComparer.Ordinal).SetEquals(_options.TargetModules);
        if (!sameTargets)
        {
            problems.Add($"target_modules are {fileTargets} in the file but {modelTargets} in the model");
        }

        var fileTokens = file.TrainableTokenIndices?.Order().ToArray() ?? [];
        if (!fileTokens.SequenceEqual(TrainableTokenIndices))
        {
            problems.Add($"trainable_token_indices list {fileTokens.Length} token ids in the file but the model's adapter trains {TrainableTokenIndices.Count} (or other ones)");
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException($"Adapter config '{path}' does not fit this adapter: {string.Join("; ", problems)}.");
        }
    }
}
