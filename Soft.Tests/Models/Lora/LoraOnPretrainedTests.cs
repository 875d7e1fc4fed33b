using Soft.Models;
using Soft.Models.Lora;
using static TorchSharp.torch;

namespace Soft.Tests.Models.Lora;

/// <summary>LoRA on the real fixture checkpoints: the adapters plug into the LLaMA and GPT-2 modules themselves.</summary>
[Collection(TorchCollection.Name)]
public sealed class LoraOnPretrainedTests
{
    public LoraOnPretrainedTests() => ModelTestKit.Initialize();

    [Fact]
    public void Stories260K_logits_survive_injection_training_merge_and_a_saved_adapter()
    {
        using var model = ModelTestKit.LoadStories();
        var batch = new[] { new PromptTarget("Once upon a time", " there was a cat") };
        float[] Logits()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var ids = tensor(model.Tokenizer.Encode("Once upon a time, a girl").Select(i => (long)i).ToArray()).unsqueeze(0);
            return model.Module.Logits(model.Module.HiddenStates(ids, ones_like(ids))).data<float>().ToArray();
        }
        float[] baseLogits = Logits();

        var adapter = LoraAdapter.Inject(model.Module, new LoraOptions { Rank = 4, Alpha = 8 });
        adapter.Layers.Should().HaveCount(2 * 5, "q_proj and v_proj in each of the 5 layers");
        Logits().Should().Equal(baseLogits, "B starts at zero");

        using (var optimizer = optim.AdamW(adapter.TrainableParameters(), lr: 1e-2))
        {
            for (int step = 0; step < 3; step++)
            {
                using var scope = NewDisposeScope();
                model.Module.train();
                var loss = model.ComputeLoss(batch);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }
        model.Module.eval();
        float[] tuned = Logits();
        tuned.Should().NotEqual(baseLogits);

        using var folder = new TempFolder();
        adapter.Save(folder.Path);
        adapter.Merge();
        MaxAbsDiff(Logits(), tuned).Should().BeLessThan(1e-4f);
        adapter.Unmerge();
        adapter.Enabled = false;
        MaxAbsDiff(Logits(), baseLogits).Should().BeLessThan(1e-5f);

        using var fresh = ModelTestKit.LoadStories();
        LoraAdapter.Load(fresh.Module, folder.Path);
        fresh.Module.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            var ids = tensor(fresh.Tokenizer.Encode("Once upon a time, a girl").Select(i => (long)i).ToArray()).unsqueeze(0);
            fresh.Module.Logits(fresh.Module.HiddenStates(ids, ones_like(ids))).data<float>().ToArray().Should().Equal(tuned, "a reloaded adapter reproduces the tuned model exactly");
        }
    }

    [Fact]
    public void Gpt2_adapter_targets_the_fused_attention_with_peft_conv1d_flag()
    {
        using var model = ModelTestKit.LoadGpt2();
        var adapter = LoraAdapter.Inject(model.Module, LoraOptions.ForGpt2());
        adapter.Layers.Should().HaveCount(5);
        using var folder = new TempFolder();
        adapter.Save(folder.Path);
        File.ReadAllText(Path.Combine(folder.Path, LoraAdapter.ConfigFileName)).Should().Contain("\"fan_in_fan_out\": true");
    }

    private static float MaxAbsDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}
