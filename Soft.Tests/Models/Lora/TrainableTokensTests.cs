using System.Text.Json;
using System.Text.Json.Nodes;
using Soft.Data;
using Soft.Models;
using Soft.Models.ItemTokens;
using Soft.Models.Lora;
using Soft.Tests.Evaluation;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Soft.Tests.Models.Lora;

/// <summary>
/// LoRA with trainable token rows (PEFT's <c>trainable_token_indices</c>): the selected rows of the embedding and of
/// an untied head learn while the base matrices stay bit for bit as they were, the adapter folder holds the rows
/// under PEFT's names, and a fresh base model plus the folder computes the same logits.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TrainableTokensTests
{
    private static readonly ModelLoadOptions Cpu = new() { Device = Soft.Runtime.DevicePreference.Cpu };
    // The toy LLaMA has stories260K's 512 ids; the last twelve stand in for item tokens.
    private static readonly int[] Rows = [.. Enumerable.Range(500, 12)];

    public TrainableTokensTests() => ModelTestKit.Initialize(seed: 13);

    [Fact]
    public void An_untied_model_trains_only_the_selected_rows_of_embedding_and_head()
    {
        using var folder = new TempFolder();
        using var model = UntiedToy(folder.Path);
        var embedBefore = Copy(model.Module.InputEmbedding.Weight);
        var headBefore = Copy(model.Module.OutputHead!.Value.Weight);
        var adapter = LoraAdapter.Inject(model.Module, Options());
        var rowsBefore = Copy(adapter.NamedTrainableParameters()[^2].Parameter);

        Train(model, adapter);

        Same(model.Module.InputEmbedding.Weight, embedBefore).Should().BeTrue("the base embedding is frozen");
        Same(model.Module.OutputHead!.Value.Weight, headBefore).Should().BeTrue("the base head is frozen");
        var named = adapter.NamedTrainableParameters().Select(p => p.Name).ToList();
        named.Should().EndWith(["model.embed_tokens.token_adapter.trainable_tokens_delta", "lm_head.token_adapter.trainable_tokens_delta"]);
        Same(adapter.NamedTrainableParameters()[^2].Parameter, rowsBefore).Should().BeFalse("the item rows learnt");
        var count = adapter.CountParameters();
        long loraElements = adapter.Layers.Values.Sum(l => l.LoraA.weight!.numel() + l.LoraB.weight!.numel());
        count.Trainable.Should().Be(loraElements + 2 * Rows.Length * 32, "LoRA matrices plus 12 rows of the embedding and 12 of the head");
    }

    [Fact]
    public void A_fresh_adapter_changes_nothing_and_switching_it_off_gives_the_base_logits()
    {
        using var folder = new TempFolder();
        using var model = UntiedToy(folder.Path);
        var ids = Ids(model);
        var before = ModelTestKit.Logits(model, ids);
        var adapter = LoraAdapter.Inject(model.Module, Options());
        Close(ModelTestKit.Logits(model, ids), before).Should().BeLessThan(1e-6f, "the rows start as copies and lora_B at zero");

        Train(model, adapter);
        var tuned = ModelTestKit.Logits(model, ids);
        Close(tuned, before).Should().BeGreaterThan(1e-3f);

        adapter.Enabled = false;
        Close(ModelTestKit.Logits(model, ids), before).Should().BeLessThan(1e-6f);
        adapter.Enabled = true;
        adapter.Merge();
        adapter.IsMerged.Should().BeTrue();
        Close(ModelTestKit.Logits(model, ids), tuned).Should().BeLessThan(1e-4f, "merged rows compute what the unmerged ones did");
        adapter.Unload();
        model.Module.TrainableTokens.Should().BeNull();
        Close(ModelTestKit.Logits(model, ids), before).Should().BeLessThan(1e-5f, "unloading restores the base rows");
    }

    [Fact]
    public void The_adapter_folder_holds_the_rows_under_peft_names_and_reloads_to_identical_logits()
    {
        using var folder = new TempFolder();
        using var model = UntiedToy(folder.Combine("base"));
        model.Save(folder.Combine("base"));
        var adapter = LoraAdapter.Inject(model.Module, Options());
        Train(model, adapter);
        adapter.Save(folder.Combine("adapter"));

        var saved = Safetensors.LoadStateDict(folder.Combine("adapter", LoraAdapter.WeightsFileName));
        const string embedKey = "base_model.model.model.embed_tokens.token_adapter.trainable_tokens_delta";
        const string headKey = "base_model.model.lm_head.token_adapter.trainable_tokens_delta";
        saved.Keys.Where(k => k.Contains("token_adapter", StringComparison.Ordinal)).Should().BeEquivalentTo(embedKey, headKey);
        saved[embedKey].shape.Should().Equal(Rows.Length, 32);
        Same(saved[embedKey], adapter.NamedTrainableParameters()[^2].Parameter).Should().BeTrue();
        Same(saved[headKey], adapter.NamedTrainableParameters()[^1].Parameter).Should().BeTrue();
        using var config = JsonDocument.Parse(File.ReadAllText(folder.Combine("adapter", LoraAdapter.ConfigFileName)));
        var indices = config.RootElement.GetProperty("trainable_token_indices");
        indices.EnumerateObject().Select(p => p.Name).Should().Equal("embed_tokens", "lm_head");
        indices.GetProperty("embed_tokens").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(Rows);
        indices.GetProperty("lm_head").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(Rows);
        config.RootElement.EnumerateObject().Select(p => p.Name).Should().BeInAscendingOrder(StringComparer.Ordinal);

        var ids = Ids(model);
        var expected = ModelTestKit.Logits(model, ids);
        using var fresh = TorchLanguageModel.Load(folder.Combine("base"), Cpu);
        var loaded = LoraAdapter.Load(fresh.Module, folder.Combine("adapter"));
        loaded.TrainableTokenIndices.Should().Equal(Rows);
        ModelTestKit.Logits(fresh, ids).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering(), "the same bytes give the same logits");
        loaded.LoadWeights(folder.Combine("adapter"));
    }

    [Fact]
    public void A_tied_model_with_item_tokens_saves_the_embedding_rows_only_and_its_head_follows_them()
    {
        using var folder = new TempFolder();
        var catalog = EvaluationData.LastFmCatalog(10);
        int first = ItemTokenVocabulary.Add(ModelTestKit.Stories, catalog, folder.Combine("base"));
        using var model = TorchLanguageModel.Load(folder.Combine("base"), Cpu);
        model.Module.OutputHead.Should().BeNull("stories260K ties its head");
        int[] items = [.. Enumerable.Range(first, catalog.Count)];
        var embedBefore = Copy(model.Module.InputEmbedding.Weight);
        var adapter = LoraAdapter.Inject(model.Module, Options(items));
        var pairs = Enumerable.Range(0, 8).Select(i => new PromptTarget($"listened:\n{ItemTokenText.Of(i)}", ItemTokenText.Of((i + 3) % catalog.Count))).ToList();
        var before = model.NextTokenLogProbabilities([pairs[0].Prompt], first, catalog.Count)[0];

        Train(model, adapter, pairs);

        Same(model.Module.InputEmbedding.Weight, embedBefore).Should().BeTrue();
        var after = model.NextTokenLogProbabilities([pairs[0].Prompt], first, catalog.Count)[0];
        after[3].Should().BeGreaterThan(before[3], "the trained item token became likelier after its prompt");
        adapter.Save(folder.Combine("adapter"));
        Safetensors.LoadStateDict(folder.Combine("adapter", LoraAdapter.WeightsFileName)).Keys.Where(k => k.Contains("token_adapter", StringComparison.Ordinal))
            .Should().Equal("base_model.model.model.embed_tokens.token_adapter.trainable_tokens_delta");
        using var config = JsonDocument.Parse(File.ReadAllText(folder.Combine("adapter", LoraAdapter.ConfigFileName)));
        config.RootElement.GetProperty("trainable_token_indices").EnumerateObject().Select(p => p.Name).Should().Equal("embed_tokens");

        using var fresh = TorchLanguageModel.Load(folder.Combine("base"), Cpu);
        LoraAdapter.Load(fresh.Module, folder.Combine("adapter"));
        fresh.NextTokenLogProbabilities([pairs[0].Prompt], first, catalog.Count)[0].Should().Equal(after);
    }

    [Fact]
    public void Gpt2_rows_are_named_after_transformer_wte()
    {
        using var model = ModelTestKit.LoadGpt2();
        var adapter = LoraAdapter.Inject(model.Module, new LoraOptions { Rank = 2, TargetModules = ["c_attn"], TrainableTokenIndices = [5, 3] });
        adapter.TrainableTokenIndices.Should().Equal(3, 5);
        adapter.NamedTrainableParameters()[^1].Name.Should().Be("transformer.wte.token_adapter.trainable_tokens_delta");
        using var folder = new TempFolder();
        adapter.Save(folder.Path);
        using var config = JsonDocument.Parse(File.ReadAllText(folder.Combine(LoraAdapter.ConfigFileName)));
        config.RootElement.GetProperty("trainable_token_indices").GetProperty("wte").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(3, 5);
    }

    [Fact]
    public void Bad_token_ids_are_refused_before_the_model_changes()
    {
        using var folder = new TempFolder();
        using var model = UntiedToy(folder.Path);
        var keys = model.Module.state_dict().Keys.ToList();

        var outside = () => LoraAdapter.Inject(model.Module, Options([3, 512]));
        outside.Should().Throw<ArgumentException>().WithMessage("*512*outside the 512 rows of 'model.embed_tokens'*");
        var twice = () => LoraAdapter.Inject(model.Module, Options([3, 3]));
        twice.Should().Throw<ArgumentException>().WithMessage("*TrainableTokenIndices*3*twice*");
        var negative = () => LoraAdapter.Inject(model.Module, Options([-1]));
        negative.Should().Throw<ArgumentException>().WithMessage("*TrainableTokenIndices*-1*");
        model.Module.state_dict().Keys.Should().Equal(keys);
        model.Module.TrainableTokens.Should().BeNull();
        model.Module.named_modules().Should().NotContain(m => m.module is LoraLinear);

        using var toy = new ToyCausalLM();
        var notCausal = () => LoraAdapter.Inject(toy, Options([1]));
        notCausal.Should().Throw<NotSupportedException>().WithMessage("*TrainableTokenIndices*ToyCausalLM*");
        toy.named_modules().Should().NotContain(m => m.module is LoraLinear);
    }

    [Fact]
    public void A_config_with_other_ids_per_module_or_a_malformed_entry_is_refused_with_the_file_named()
    {
        using var folder = new TempFolder();
        using var model = UntiedToy(folder.Path);
        LoraAdapter.Inject(model.Module, Options()).Save(folder.Combine("adapter"));
        string path = folder.Combine("adapter", LoraAdapter.ConfigFileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;

        json["trainable_token_indices"]!["lm_head"]![0] = 499;
        File.WriteAllText(path, json.ToJsonString());
        using (var other = UntiedToy(folder.Combine("other")))
        {
            var act = () => LoraAdapter.Load(other.Module, folder.Combine("adapter"));
            act.Should().Throw<InvalidDataException>().WithMessage($"*{path}*other ids for different modules*");
        }

        json["trainable_token_indices"] = "embed_tokens";
        File.WriteAllText(path, json.ToJsonString());
        using var third = UntiedToy(folder.Combine("third"));
        var bad = () => LoraAdapter.Load(third.Module, folder.Combine("adapter"));
        bad.Should().Throw<InvalidDataException>().WithMessage("*trainable_token_indices must be null, a list*");
    }

    internal static LoraOptions Options(IList<int>? rows = null) =>
        new() { Rank = 4, Alpha = 8, Dropout = 0, TargetModules = ["q_proj", "v_proj"], TrainableTokenIndices = rows ?? [.. Rows] };

    private static TorchLanguageModel UntiedToy(string folder)
    {
        Directory.CreateDirectory(folder);
        return TorchLanguageModel.Create(ModelTestKit.ToyLlama(tied: false), ModelTestKit.Stories, Cpu);
    }

    // Sequences that read the stand-in rows and predict them, so both the embedding rows and the head rows get gradients.
    private static long[][] Sequences() =>
        [.. Rows.Select((row, i) => new long[] { 1, row, 300 + i, Rows[(i + 5) % Rows.Length], 42, row })];

    // A sequence that reads and predicts the stand-in rows.
    private static int[] Ids(TorchLanguageModel model) => [model.Tokenizer.BosTokenId ?? 1, .. Rows.Take(4), .. model.Tokenizer.Encode("the cat", addBos: false)];

    // Next-token cross-entropy on Sequences(): a few AdamW steps on the adapter's parameters.
    private static void Train(TorchLanguageModel model, LoraAdapter adapter)
    {
        var sequences = Sequences();
        model.Module.train();
        using var optimizer = optim.AdamW(adapter.TrainableParameters(), lr: 0.05);
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var ids = tensor(sequences.SelectMany(s => s).ToArray(), [sequences.Length, sequences[0].Length]);
            var mask = ones(ids.shape, dtype: ScalarType.Bool);
            var logits = model.Module.Logits(model.Module.HiddenStates(ids, mask)); // (B, T, V)
            long length = ids.shape[1];
            var loss = nn.functional.cross_entropy(logits.narrow(1, 0, length - 1).reshape(-1, logits.shape[2]), ids.narrow(1, 1, length - 1).reshape(-1));
            loss.backward();
            optimizer.step();
        }
        model.Module.eval();
    }

    // The same on text pairs (the pipeline's loss), for models with real item tokens.
    private static void Train(TorchLanguageModel model, LoraAdapter adapter, IReadOnlyList<PromptTarget> pairs)
    {
        model.Module.train();
        using var optimizer = optim.AdamW(adapter.TrainableParameters(), lr: 0.05);
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            model.ComputeLoss(pairs).backward();
            optimizer.step();
        }
        model.Module.eval();
    }

    private static Tensor Copy(Tensor t) => t.detach().clone();

    // Tensor.equal is element-wise in TorchSharp; this is torch.equal.
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static float Close(float[][] a, float[][] b) => a.Zip(b, (x, y) => x.Zip(y, (p, q) => Math.Abs(p - q)).Max()).Max();
}
