using System.Text.Json.Nodes;
using Soft.IO;
using Soft.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// A TorchSharp causal language model (LLaMA family or GPT-2) read from and written to a Hugging Face folder.
/// Training loops use <see cref="Module"/> and <see cref="ComputeLoss"/>; everything else goes through
/// <see cref="ILanguageModel"/>.
/// </summary>
public sealed class TorchLanguageModel : ITrainableLanguageModel
{
    private const string ConfigFile = "config.json";
    private const string GenerationConfigFile = "generation_config.json";
    // Rows per forward pass when scoring or embedding many texts; bounds memory, not results (padding is exact).
    private const int EmbedChunk = 16;
    // Prompts per forward pass when scoring next tokens: one position's logits per row, so far cheaper than embedding.
    private const int ScoreChunk = 64;
    // Continuation tokens per forward pass over a shared prompt cache.
    private const int ContinuationTokenBudget = 4096;

    private readonly string? _tokenizerFolder;
    private readonly JsonObject? _generationConfig;

    private TorchLanguageModel(ModelConfig config, ITextTokenizer tokenizer, CausalLMModule module, Device device, string? tokenizerFolder, JsonObject? generationConfig)
    {
        Config = config;
        Tokenizer = tokenizer;
        Module = module;
        Device = device;
        _tokenizerFolder = tokenizerFolder;
        _generationConfig = generationConfig;
        var stop = ModelConfig.Ids(generationConfig?["eos_token_id"]);
        StopTokenIds = stop.Count > 0 ? stop : [tokenizer.EosTokenId];
    }

    /// <summary>The parsed <c>config.json</c>.</summary>
    public ModelConfig Config { get; }

    /// <inheritdoc/>
    public ITextTokenizer Tokenizer { get; }

    /// <inheritdoc/>
    public IReadOnlyList<int> StopTokenIds { get; }

    /// <summary>The network; its parameter names are the Hugging Face state-dict keys.</summary>
    public CausalLMModule Module { get; }

    /// <summary>Where the weights live and inputs are placed.</summary>
    public Device Device { get; }

    /// <summary>
    /// Reads a Hugging Face model folder: <c>config.json</c>, the weights (<c>model.safetensors</c> or a sharded
    /// index; pickled <c>pytorch_model.bin</c> only with <see cref="ModelLoadOptions.AllowPickledCheckpoints"/>),
    /// the tokenizer and <c>generation_config.json</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">config.json, the weights or the tokenizer is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or tensors are missing, unexpected or mis-shaped (each named).</exception>
    /// <exception cref="ArgumentException">CUDA was requested but is not available.</exception>
    public static TorchLanguageModel Load(string folder, ModelLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        options ??= new ModelLoadOptions();
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Model folder not found: {folder}");
        SoftRuntime.EnsureNativeLibrary();
        var config = ModelConfig.Load(Path.Combine(folder, ConfigFile));
        var tokenizer = HfTokenizer.Load(folder, config);
        var device = SoftRuntime.ResolveDevice(options.Device, "ModelLoadOptions.Device");
        var module = Build(config);
        try
        {
            using (var scope = NewDisposeScope())
            {
                var checkpoint = CheckpointFiles.Read(folder, options.AllowPickledCheckpoints);
                var mapped = module.FromCheckpoint(checkpoint.Select(kv => (kv.Key, kv.Value))).ToList();
                CheckpointLoader.Load(module, mapped, $"Checkpoint in {folder}");
            }
            Place(module, device, options.DType);
        }
        catch
        {
            module.Dispose();
            throw;
        }
        return new TorchLanguageModel(config, tokenizer, module, device, folder, ReadGenerationConfig(folder));
    }

    /// <summary>
    /// A freshly initialised model (N(0, initializer_range) weights from torch's default generator, so seed it via
    /// <see cref="SoftRuntime.Initialize"/>) with the tokenizer of <paramref name="tokenizerFolder"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidDataException">The config is invalid; the message names the field.</exception>
    /// <exception cref="FileNotFoundException">No tokenizer in <paramref name="tokenizerFolder"/>.</exception>
    public static TorchLanguageModel Create(ModelConfig config, string tokenizerFolder, ModelLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tokenizerFolder);
        options ??= new ModelLoadOptions();
        config.Validate();
        SoftRuntime.EnsureNativeLibrary();
        var tokenizer = HfTokenizer.Load(tokenizerFolder, config);
        var device = SoftRuntime.ResolveDevice(options.Device, "ModelLoadOptions.Device");
        var module = Build(config);
        module.InitializeWeights(config.InitializerRange);
        Place(module, device, options.DType);
        return new TorchLanguageModel(config, tokenizer, module, device, tokenizerFolder, ReadGenerationConfig(tokenizerFolder));
    }

    /// <summary>
    /// The training loss on <paramref name="batch"/>: cross-entropy of every target token and the appended EOS, prompt
    /// tokens and padding masked (-100), left padding. Differentiable; call inside the training step's dispose scope.
    /// With <paramref name="weights"/>, each token's loss is multiplied by its pair's weight before the mean over
    /// all target tokens of the batch, so weights of 1 give the unweighted loss.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentException">The batch is empty or <paramref name="weights"/> has another length.</exception>
    public Tensor ComputeLoss(IReadOnlyList<PromptTarget> batch, IReadOnlyList<double>? weights = null)
    {
        CheckBatch(batch);
        if (weights is not null && weights.Count != batch.Count)
            throw new ArgumentException($"weights has {weights.Count} entries for {batch.Count} pairs.", nameof(weights));
        using var scope = NewDisposeScope();
        var (losses, scored) = TokenLosses(batch);
        if (weights is not null)
            losses = losses * tensor(weights.Select(w => (float)w).ToArray(), device: Device).unsqueeze(1);
        return (losses.sum() / scored.sum().clamp_min(Scalars.One)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The soft-label loss on <paramref name="prompts"/>: per prompt, the cross-entropy from <paramref name="targets"/>
    /// (probabilities renormalised to sum to 1) to the model's next-token distribution after the prompt, averaged over
    /// the batch. Differentiable; call inside the training step's dispose scope.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, or a target is empty, has a negative probability or sums to 0.</exception>
    public Tensor ComputeSoftTargetLoss(IReadOnlyList<string> prompts, IReadOnlyList<SoftTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(targets);
        if (prompts.Count == 0 || prompts.Count != targets.Count)
            throw new ArgumentException($"{prompts.Count} prompts for {targets.Count} soft targets; both must be equal and non-zero.", nameof(targets));
        int width = targets.Max(t => t.TokenIds.Count);
        var ids = new long[prompts.Count * width];
        var weights = new float[prompts.Count * width];
        for (int b = 0; b < targets.Count; b++)
        {
            var target = targets[b];
            double sum = target.Probabilities.Sum();
            if (target.TokenIds.Count == 0 || target.TokenIds.Count != target.Probabilities.Count || target.Probabilities.Any(p => !(p >= 0)) || !(sum > 0))
                throw new ArgumentException($"Soft target {b} needs as many non-negative probabilities as token ids, with a positive sum.", nameof(targets));
            for (int k = 0; k < target.TokenIds.Count; k++)
            {
                ids[b * width + k] = target.TokenIds[k];
                weights[b * width + k] = (float)(target.Probabilities[k] / sum);
            }
        }
        using var scope = NewDisposeScope();
        var encoded = prompts.Select(p => Tokenizer.Encode(p ?? throw new ArgumentException("A prompt is null.", nameof(prompts)))).ToList();
        var (input, mask) = TokenBatch.LeftPad(encoded, Tokenizer.PadTokenId, Device);
        var logp = nn.functional.log_softmax(Module.Logits(Module.HiddenStates(input, mask).select(1, -1)).to(ScalarType.Float32), 1); // (B, V)
        // Padding entries carry weight 0, so the id they point at (0) does not matter.
        var picked = logp.gather(1, tensor(ids, [prompts.Count, width], device: Device));
        var loss = picked.mul(tensor(weights, [prompts.Count, width], device: Device)).sum().neg() / prompts.Count;
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Differentiable mean token loss per pair (B), same masking as <see cref="ComputeLoss"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentException">The batch is empty.</exception>
    public Tensor ComputeSequenceLosses(IReadOnlyList<PromptTarget> batch)
    {
        CheckBatch(batch);
        using var scope = NewDisposeScope();
        var (losses, scored) = TokenLosses(batch);
        return (losses.sum(1) / scored.sum(1).clamp_min(Scalars.One)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public double Loss(IReadOnlyList<PromptTarget> batch)
    {
        CheckBatch(batch);
        return Evaluating(() =>
        {
            using var scope = NewDisposeScope();
            return ComputeLoss(batch).item<float>();
        });
    }

    /// <inheritdoc/>
    public double[] LogLikelihood(IReadOnlyList<PromptTarget> batch)
    {
        CheckBatch(batch);
        return Evaluating(() =>
        {
            var result = new List<double>(batch.Count);
            for (int start = 0; start < batch.Count; start += EmbedChunk)
            {
                using var scope = NewDisposeScope();
                var (losses, _) = TokenLosses(batch.Skip(start).Take(EmbedChunk).ToList());
                result.AddRange(losses.sum(1).neg().to(ScalarType.Float64).cpu().data<double>().ToArray());
            }
            return result.ToArray();
        });
    }

    /// <inheritdoc/>
    public float[][] NextTokenLogProbabilities(IReadOnlyList<string> prompts, int firstTokenId, int count)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfNegative(firstTokenId);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)firstTokenId + count, Config.VocabSize, nameof(count));
        return Evaluating(() =>
        {
            var result = new List<float[]>(prompts.Count);
            for (int start = 0; start < prompts.Count; start += ScoreChunk)
            {
                using var scope = NewDisposeScope();
                var chunk = prompts.Skip(start).Take(ScoreChunk).Select(p => Tokenizer.Encode(p ?? throw new ArgumentException("A prompt is null.", nameof(prompts)))).ToList();
                if (chunk.Any(c => c.Count == 0))
                    throw new ArgumentException("A prompt encodes to no tokens.", nameof(prompts));
                var (ids, mask) = TokenBatch.LeftPad(chunk, Tokenizer.PadTokenId, Device);
                var last = Module.HiddenStates(ids, mask).select(1, -1); // (b, D)
                var logits = Module.Logits(last).narrow(1, firstTokenId, count).to(ScalarType.Float32); // (b, count)
                var flat = nn.functional.log_softmax(logits, 1).cpu().data<float>().ToArray();
                for (int i = 0; i < chunk.Count; i++)
                    result.Add(flat.AsSpan(i * count, count).ToArray());
            }
            return result.ToArray();
        });
    }

    /// <inheritdoc/>
    public double[] ContinuationLogLikelihoods(string prompt, IReadOnlyList<IReadOnlyList<int>> continuations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(continuations);
        var promptIds = Tokenizer.Encode(prompt);
        if (promptIds.Count == 0)
            throw new ArgumentException("The prompt encodes to no tokens.", nameof(prompt));
        if (continuations.Any(c => c is null || c.Count == 0))
            throw new ArgumentException("A continuation is null or empty.", nameof(continuations));
        return Evaluating(() =>
        {
            var scores = new double[continuations.Count];
            using var cache = new KvCache(Module.LayerCount);
            using var outer = NewDisposeScope();
            using var promptTensor = tensor(promptIds.Select(i => (long)i).ToArray(), device: Device).view(1, -1);
            using var promptMask = ones(1, promptIds.Count, dtype: ScalarType.Bool, device: Device);
            var first = nn.functional.log_softmax(Module.Logits(Module.Forward(promptTensor, promptMask, cache).select(1, -1)).to(ScalarType.Float32), 1)
                .squeeze(0).cpu().data<float>().ToArray(); // (V): log p(first continuation token | prompt)
            // A token budget per batch rather than a row count: the logits (rows × length × vocab) dominate memory.
            int rowsPerBatch = Math.Max(1, ContinuationTokenBudget / Math.Max(1, continuations.Max(c => c.Count)));
            for (int start = 0; start < continuations.Count; start += rowsPerBatch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunk = continuations.Skip(start).Take(rowsPerBatch).ToList();
                for (int r = 0; r < chunk.Count; r++)
                    scores[start + r] = first[chunk[r][0]];
                int longest = chunk.Max(c => c.Count);
                if (longest == 1)
                    continue;
                using var scope = NewDisposeScope();
                // Every token but the last is fed; right padding is harmless under the causal mask and is never scored.
                var fed = new long[chunk.Count * (longest - 1)];
                for (int r = 0; r < chunk.Count; r++)
                {
                    for (int t = 0; t < longest - 1; t++)
                        fed[r * (longest - 1) + t] = t < chunk[r].Count - 1 ? chunk[r][t] : Tokenizer.PadTokenId;
                }
                using var rows = cache.Repeat(chunk.Count);
                var input = tensor(fed, device: Device).view(chunk.Count, longest - 1);
                var mask = ones(chunk.Count, promptIds.Count + longest - 1, dtype: ScalarType.Bool, device: Device);
                var logp = nn.functional.log_softmax(Module.Logits(Module.Forward(input, mask, rows)).to(ScalarType.Float32), 2); // (C, L-1, V)
                var next = new long[chunk.Count * (longest - 1)];
                for (int r = 0; r < chunk.Count; r++)
                {
                    for (int t = 0; t < longest - 1; t++)
                        next[r * (longest - 1) + t] = t + 1 < chunk[r].Count ? chunk[r][t + 1] : 0;
                }
                var picked = logp.gather(2, tensor(next, device: Device).view(chunk.Count, longest - 1, 1)).squeeze(2).to(ScalarType.Float64).cpu().data<double>().ToArray();
                for (int r = 0; r < chunk.Count; r++)
                {
                    for (int t = 0; t < chunk[r].Count - 1; t++)
                        scores[start + r] += picked[r * (longest - 1) + t];
                }
            }
            return scores;
        });
    }

    /// <inheritdoc/>
    public double[][] TrieLogLikelihoods(IReadOnlyList<string> prompts, Generation.TokenTrie trie, CancellationToken cancellationToken = default) =>
        TrieLogLikelihoods(prompts, trie, cancellationToken, TrieScoring.MaxChunk, TrieScoring.MaxPrompts);

    /// <summary><see cref="TrieLogLikelihoods(IReadOnlyList{string}, Generation.TokenTrie, CancellationToken)"/> with the batch limits given (tests cross chunk and batch borders).</summary>
    internal double[][] TrieLogLikelihoods(IReadOnlyList<string> prompts, Generation.TokenTrie trie, CancellationToken cancellationToken, int maxChunk, int maxPrompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(trie);
        var encoded = prompts.Select(p => Tokenizer.Encode(p ?? throw new ArgumentException("A prompt is null.", nameof(prompts)))).ToList();
        if (encoded.Any(e => e.Count == 0))
            throw new ArgumentException("A prompt encodes to no tokens.", nameof(prompts));
        int heads = Config switch
        {
            LlamaConfig llama => llama.NumAttentionHeads,
            Gpt2Config gpt2 => gpt2.NHead,
            _ => 16,
        };
        return Evaluating(() => TrieScoring.Run(Module, encoded, trie, Tokenizer.PadTokenId, (Config.VocabSize, heads, Config.MaxPositions), Device, cancellationToken, maxChunk, maxPrompts));
    }

    /// <inheritdoc/>
    public float[][] Embed(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Evaluating(() =>
        {
            var result = new List<float[]>(texts.Count);
            for (int start = 0; start < texts.Count; start += EmbedChunk)
            {
                using var scope = NewDisposeScope();
                var chunk = texts.Skip(start).Take(EmbedChunk).Select(t => Tokenizer.Encode(t ?? throw new ArgumentException("A text is null.", nameof(texts)))).ToList();
                if (chunk.Any(c => c.Count == 0))
                    throw new ArgumentException("An empty text encodes to no tokens and has no last token to embed.", nameof(texts));
                var (ids, mask) = TokenBatch.LeftPad(chunk, Tokenizer.PadTokenId, Device);
                var last = Module.HiddenStates(ids, mask).select(1, -1).to(ScalarType.Float32).cpu(); // (b, D)
                long width = last.shape[1];
                float[] flat = last.data<float>().ToArray();
                for (int i = 0; i < chunk.Count; i++)
                    result.Add(flat.AsSpan(i * (int)width, (int)width).ToArray());
            }
            return result.ToArray();
        });
    }

    /// <inheritdoc/>
    public IReadOnlyList<IReadOnlyList<GeneratedSequence>> Generate(IReadOnlyList<string> prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        return GenerateFromTokens(prompts.Select(p => Tokenizer.Encode(p ?? throw new ArgumentException("A prompt is null.", nameof(prompts)))).ToList(), options, cancellationToken);
    }

    /// <inheritdoc/>
    public IReadOnlyList<IReadOnlyList<GeneratedSequence>> GenerateFromTokens(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        for (int i = 0; i < prompts.Count; i++)
        {
            if (prompts[i] is null || prompts[i].Count == 0)
                throw new ArgumentException($"Prompt {i} has no tokens; give at least one (for example BOS).", nameof(prompts));
        }
        if (prompts.Count == 0)
            return [];
        var stop = (options.StopTokenIds ?? StopTokenIds).ToHashSet();
        return Evaluating(() =>
        {
            if (options.NumBeams > 1)
            {
                var beams = BeamSearch.Run(Module, prompts, Tokenizer.PadTokenId, stop, options, Device, cancellationToken);
                return beams.Select(list => (IReadOnlyList<GeneratedSequence>)list.Select(ToSequence).ToList()).ToList();
            }
            int copies = options.NumReturnSequences;
            var rows = prompts.SelectMany(p => Enumerable.Repeat(p, copies)).ToList();
            var index = Enumerable.Range(0, prompts.Count).SelectMany(i => Enumerable.Repeat(i, copies)).ToList();
            var decoded = TokenDecoder.Run(Module, rows, index, Tokenizer.PadTokenId, stop, options, Device, cancellationToken);
            return (IReadOnlyList<IReadOnlyList<GeneratedSequence>>)Enumerable.Range(0, prompts.Count)
                .Select(i => (IReadOnlyList<GeneratedSequence>)decoded.Skip(i * copies).Take(copies).Select(ToSequence).ToList())
                .ToList();
        });
    }

    /// <inheritdoc/>
    public void Save(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Directory.CreateDirectory(folder);
        using (var scope = NewDisposeScope())
        {
            var entries = Module.ToCheckpoint().ToList();
            AtomicFile.WriteFile(Path.Combine(folder, CheckpointFiles.Single), path => SafetensorsFile.Write(path, entries));
            Config.TorchDType = entries.Count > 0 ? DTypeName(entries[0].Value.dtype) : Config.TorchDType;
        }
        AtomicFile.WriteFile(Path.Combine(folder, ConfigFile), path => File.WriteAllText(path, Config.ToJson()));
        var generation = _generationConfig ?? new JsonObject
        {
            ["bos_token_id"] = Tokenizer.BosTokenId,
            ["eos_token_id"] = StopTokenIds.Count == 1 ? StopTokenIds[0] : new JsonArray(StopTokenIds.Select(i => (JsonNode)i).ToArray()),
        };
        AtomicFile.WriteFile(Path.Combine(folder, GenerationConfigFile), path => File.WriteAllText(path, generation.ToJsonString(ModelConfig.SerializerOptions)));
        if (_tokenizerFolder is not null)
        {
            foreach (string file in HfTokenizer.Files)
            {
                string source = Path.Combine(_tokenizerFolder, file);
                string destination = Path.Combine(folder, file);
                if (File.Exists(source) && Path.GetFullPath(source) != Path.GetFullPath(destination))
                    AtomicFile.WriteFile(Path.Combine(folder, file), path => File.Copy(source, path, overwrite: true));
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Module.Dispose();

    private static CausalLMModule Build(ModelConfig config) => config switch
    {
        LlamaConfig llama => new LlamaForCausalLM(llama),
        Gpt2Config gpt2 => new Gpt2LMHeadModel(gpt2),
        _ => throw new NotSupportedException($"No architecture for config type {config.GetType().Name}."),
    };

    private static void Place(CausalLMModule module, Device device, SoftDType dtype)
    {
        if (dtype != SoftDType.Float32)
            module.to(SoftRuntime.ToScalarType(dtype));
        if (device.type != DeviceType.CPU)
            module.to(device);
        module.eval();
    }

    private static JsonObject? ReadGenerationConfig(string folder)
    {
        string path = Path.Combine(folder, GenerationConfigFile);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    private static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => "float32",
    };

    private static void CheckBatch(IReadOnlyList<PromptTarget> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
            throw new ArgumentException("The batch is empty.", nameof(batch));
    }

    // Per-token NLL (B, L-1), zero where not scored, and the scored-token mask.
    private (Tensor Losses, Tensor Scored) TokenLosses(IReadOnlyList<PromptTarget> batch)
    {
        var (ids, mask, labels, _) = TokenBatch.ForTraining(Tokenizer, batch, Device);
        long length = ids.shape[1];
        var hidden = Module.HiddenStates(ids, mask); // (B, L, D)
        var logits = Module.Logits(hidden.narrow(1, 0, length - 1)).to(ScalarType.Float32); // (B, L-1, V)
        var targets = labels.narrow(1, 1, length - 1); // (B, L-1): position t predicts token t+1
        var losses = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.reshape(-1),
            ignore_index: TokenBatch.IgnoreIndex, reduction: nn.Reduction.None).view(targets.shape);
        using var ignore = TokenBatch.IgnoreIndex.ToScalar();
        return (losses, targets.ne(ignore).to(ScalarType.Float32));
    }

    private T Evaluating<T>(Func<T> work)
    {
        bool wasTraining = Module.training;
        Module.eval();
        try
        {
            using var noGrad = no_grad();
            return work();
        }
        finally
        {
            if (wasTraining)
                Module.train();
        }
    }

    private GeneratedSequence ToSequence((int[] Tokens, double Score, bool Stopped) item) =>
        new(item.Tokens, Tokenizer.Decode(item.Tokens), item.Score, item.Stopped);
}
