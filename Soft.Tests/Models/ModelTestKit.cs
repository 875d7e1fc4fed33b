using System.Text.Json;
using Soft.Models;
using Soft.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Soft.Tests.Models;

/// <summary>Fixture checkpoints, reference files and small helpers for the model tests.</summary>
internal static class ModelTestKit
{
    public static string Stories => Fixtures.Stories;

    public static string TinyGpt2 => Fixtures.TinyGpt2;

    public static void Initialize(long seed = 7) =>
        SoftRuntime.Initialize(new SoftRuntimeOptions { Device = DevicePreference.Cpu, Threads = 2, Seed = seed });

    public static TorchLanguageModel LoadStories() => TorchLanguageModel.Load(Stories, new ModelLoadOptions { Device = DevicePreference.Cpu });

    public static TorchLanguageModel LoadGpt2() => TorchLanguageModel.Load(TinyGpt2, new ModelLoadOptions { Device = DevicePreference.Cpu });

    public static JsonElement Json(params string[] parts) => JsonDocument.Parse(File.ReadAllText(Fixtures.Path(parts))).RootElement;

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>Logits (T, V) of one unpadded sequence, full forward.</summary>
    public static float[][] Logits(TorchLanguageModel model, IReadOnlyList<int> ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count]);
        var mask = ones(1, ids.Count, dtype: ScalarType.Bool);
        var logits = model.Module.Logits(model.Module.HiddenStates(input, mask))[0];
        return Rows(logits);
    }

    public static float[][] Rows(Tensor matrix)
    {
        long width = matrix.shape[1];
        float[] flat = matrix.to(ScalarType.Float32).contiguous().data<float>().ToArray();
        return Enumerable.Range(0, (int)matrix.shape[0]).Select(r => flat.AsSpan(r * (int)width, (int)width).ToArray()).ToArray();
    }

    public static double MaxAbsDiff(IReadOnlyList<float> a, IReadOnlyList<double> b)
    {
        a.Count.Should().Be(b.Count);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    /// <summary>A small random LLaMA (GQA, untied unless asked) with the stories260K tokenizer.</summary>
    public static LlamaConfig ToyLlama(bool tied = false, string type = "llama") => new()
    {
        ModelType = type,
        VocabSize = 512,
        Hidden = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        RmsNormEps = 1e-5,
        TieWordEmbeddings = tied,
        BosTokenId = 1,
        EosTokenId = 2,
    };
}
