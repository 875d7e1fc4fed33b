using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Soft.Models.Lora;

/// <summary>
/// Selected rows of a model's token matrices (input embedding, and an untied output head) that train in place of
/// the base rows while the base matrices stay frozen: PEFT's trainable tokens (<c>trainable_token_indices</c> of a
/// LoRA config). A LoRA run with item tokens trains the item rows this way, so the new tokens learn although the
/// embedding and the head are not adapted by LoRA.
/// </summary>
/// <remarks>
/// <para>
/// As in PEFT (<c>src/peft/tuners/trainable_tokens/layer.py</c>, <c>TrainableTokensLayer</c>), the trained tensor
/// holds the rows' <i>values</i>, initialised as copies of the base rows, and the forward pass reads them instead of
/// the base rows (PEFT's <c>index_copy</c>); its name, <c>trainable_tokens_delta</c>, is PEFT's, not a difference.
/// With a tied head the output uses the input rows (PEFT ties the head's adapter to the embedding's and saves
/// nothing for it); an untied head has rows of its own. Rather than copy the whole matrix each forward pass, the
/// embedding looks up the trained rows where an input id is selected, and the logits of the selected ids are
/// recomputed from them: the same numbers at the cost of the selected rows only.
/// </para>
/// <para>
/// The rows are not registered in the module tree, so the model's state dict keeps its keys; the adapter lists them
/// among its trainable parameters and saves them.
/// </para>
/// </remarks>
internal sealed class TrainableTokens : IDisposable
{
    /// <summary>PEFT's wrapper attribute and parameter name, after the module path (adapter name removed, as saved).</summary>
    public const string KeySuffix = "token_adapter.trainable_tokens_delta";

    private readonly Parameter _baseInput;
    private readonly Parameter? _baseOutput;
    // (n): the selected ids, ascending.
    private readonly Tensor _index;
    // (V): for each id, its row in the trained tensors, or -1 where the base row is used.
    private readonly Tensor _slot;
    private Tensor? _originalInput;
    private Tensor? _originalOutput;

    /// <summary>Copies the base rows of <paramref name="indices"/> into new trainable tensors.</summary>
    /// <exception cref="ArgumentException">The indices are empty, repeat an id, or leave the embedding's rows.</exception>
    public TrainableTokens(CausalLMModule model, IReadOnlyList<int> indices)
    {
        var (inputPath, input) = model.InputEmbedding;
        long rows = input.shape[0];
        Indices = [.. indices.Order()];
        if (Indices.Count == 0)
        {
            throw new ArgumentException("Trainable tokens need at least one token id.", nameof(indices));
        }

        for (int i = 0; i < Indices.Count; i++)
        {
            if (Indices[i] < 0 || Indices[i] >= rows)
            {
                throw new ArgumentException($"Trainable token id {Indices[i]} is outside the {rows} rows of '{inputPath}'.", nameof(indices));
            }

            if (i > 0 && Indices[i] == Indices[i - 1])
            {
                throw new ArgumentException($"Trainable token id {Indices[i]} is listed twice.", nameof(indices));
            }
        }

        _baseInput = input;
        InputPath = inputPath;
        if (model.OutputHead is var (outputPath, output))
        {
            _baseOutput = output;
            OutputPath = outputPath;
        }

        var slot = Enumerable.Repeat(-1L, (int)rows).ToArray();
        for (int i = 0; i < Indices.Count; i++)
        {
            slot[Indices[i]] = i;
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _index = tensor(Indices.Select(i => (long)i).ToArray(), device: input.device).DetachFromDisposeScope();
        _slot = tensor(slot, device: input.device).DetachFromDisposeScope();
        Input = RowsOf(input);
        Output = _baseOutput is null ? null : RowsOf(_baseOutput);
    }

    /// <summary>The selected token ids, ascending.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>Module path of the input embedding, for example <c>model.embed_tokens</c> or <c>transformer.wte</c>.</summary>
    public string InputPath { get; }

    /// <summary>Module path of an untied output head (<c>lm_head</c>), or null when the head is the embedding.</summary>
    public string? OutputPath { get; }

    /// <summary>The trained input rows (n, hidden), in <see cref="Indices"/> order.</summary>
    public Parameter Input { get; }

    /// <summary>The trained rows of an untied head (n, hidden); null when the head reads <see cref="Input"/>.</summary>
    public Parameter? Output { get; }

    /// <summary>Whether the trained rows take part in the forward pass; when false the model reads its base rows.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether the trained rows are written into the base matrices (see <see cref="Merge"/>).</summary>
    public bool IsMerged { get; private set; }

    /// <summary>The trained tensors with their PEFT names (module path + <see cref="KeySuffix"/>), input first.</summary>
    public IReadOnlyList<(string Path, Parameter Parameter)> Named() => OutputPath is null
        ? [(KeyOf(InputPath), Input)]
        : [(KeyOf(InputPath), Input), (KeyOf(OutputPath), Output!)];

    /// <summary>PEFT's <c>trainable_token_indices</c> dictionary: the last name of each module path and the ids.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> ModuleIndices()
    {
        var result = new SortedDictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal) { [LastName(InputPath)] = Indices };
        if (OutputPath is not null)
        {
            result[LastName(OutputPath)] = Indices;
        }

        return result;
    }

    /// <summary>The embedding of <paramref name="ids"/> with the selected rows replaced.</summary>
    /// <param name="ids">Token ids (B, T).</param>
    /// <param name="embedded">The base embedding's output for them (B, T, hidden).</param>
    public Tensor Embed(Tensor ids, Tensor embedded)
    {
        if (!Enabled || IsMerged)
        {
            return embedded;
        }

        using var scope = NewDisposeScope();
        var slot = _slot.index_select(0, ids.reshape(-1)); // (B·T)
        var picked = Input.index_select(0, slot.clamp_min(Runtime.Scalars.Zero)).view(embedded.shape).to_type(embedded.dtype); // (B, T, hidden)
        var selected = slot.ge(Runtime.Scalars.Zero).view([.. ids.shape, 1]); // (B, T, 1)
        return where(selected, picked, embedded).MoveToOuterDisposeScope();
    }

    /// <summary>The logits with the selected ids' columns recomputed from the trained rows.</summary>
    /// <param name="hidden">Hidden states (…, hidden).</param>
    /// <param name="logits">The base head's logits for them (…, vocab).</param>
    public Tensor Logits(Tensor hidden, Tensor logits)
    {
        if (!Enabled || IsMerged)
        {
            return logits;
        }

        using var scope = NewDisposeScope();
        var rows = nn.functional.linear(hidden, Output ?? Input).to_type(logits.dtype); // (…, n)
        return logits.index_copy(logits.dim() - 1, _index, rows).MoveToOuterDisposeScope();
    }

    /// <summary>Writes the trained rows into the base matrices (keeping the base rows to restore), as PEFT's merge.</summary>
    public void Merge()
    {
        if (IsMerged)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _originalInput = _baseInput.index_select(0, _index).DetachFromDisposeScope();
        _baseInput.index_copy_(0, _index, Input.to_type(_baseInput.dtype));
        if (_baseOutput is not null)
        {
            _originalOutput = _baseOutput.index_select(0, _index).DetachFromDisposeScope();
            _baseOutput.index_copy_(0, _index, Output!.to_type(_baseOutput.dtype));
        }

        IsMerged = true;
    }

    /// <summary>Puts the base rows back into the base matrices.</summary>
    public void Unmerge()
    {
        if (!IsMerged)
        {
            return;
        }

        using (no_grad())
        {
            _baseInput.index_copy_(0, _index, _originalInput!);
            _baseOutput?.index_copy_(0, _index, _originalOutput!);
        }

        DisposeOriginals();
        IsMerged = false;
    }

    /// <summary>Frees the trained rows and the lookup tables; the base matrices are not touched.</summary>
    public void Dispose()
    {
        DisposeOriginals();
        Input.Dispose();
        Output?.Dispose();
        _index.Dispose();
        _slot.Dispose();
    }

    /// <summary>The name of a module's trained rows in the model (path + <see cref="KeySuffix"/>); saved with PEFT's <c>base_model.model.</c> before it.</summary>
    public static string KeyOf(string modulePath) => $"{modulePath}.{KeySuffix}";

    private Parameter RowsOf(Tensor matrix)
    {
        var parameter = new Parameter(matrix.index_select(0, _index).detach().clone(), requires_grad: true);
        parameter.DetachFromDisposeScope();
        return parameter;
    }

    private void DisposeOriginals()
    {
        _originalInput?.Dispose();
        _originalOutput?.Dispose();
        _originalInput = _originalOutput = null;
    }

    private static string LastName(string path) => path[(path.LastIndexOf('.') + 1)..];
}
