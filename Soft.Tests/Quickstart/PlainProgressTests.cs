using Soft.Pipeline;
using Soft.Samples.Quickstart;

namespace Soft.Tests.Quickstart;

public sealed class PlainProgressTests
{
    [Fact]
    public void A_redirected_console_gets_one_line_per_stage_and_per_epoch_not_per_update()
    {
        var output = new StringWriter { NewLine = "\n" };
        var progress = new PlainProgress(output);

        progress.Report(new PipelineProgress("data", "Loading the dataset"));
        progress.Report(new PipelineProgress("data", "Loading the dataset", 1, 1));
        progress.Report(new PipelineProgress("sft", "epoch 1/7, step 1/896", 1, 896, Epoch: 1, Loss: 4.2, Lambda: 0));
        progress.Report(new PipelineProgress("sft", "epoch 1/7, step 2/896", 2, 896, Epoch: 1, Loss: 4.1, Lambda: 0));
        progress.Report(new PipelineProgress("sft", "epoch 2/7, step 129/896", 129, 896, Epoch: 2, Loss: 3.9, Lambda: 0));
        progress.Report(new PipelineProgress("soft", "epoch 1/7, step 1/896", 1, 896, Epoch: 1, Lambda: 1));
        progress.Report(new PipelineProgress("soft", "epoch 2/7, step 129/896", 129, 896, Epoch: 2, Lambda: 0.83));

        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "data: Loading the dataset",
            "sft: epoch 1/7, step 1/896",
            "sft: epoch 2, λ 0.00",
            "soft: epoch 1/7, step 1/896",
            "soft: epoch 2, λ 0.83");
    }
}
