using Soft.Models;
using Soft.Models.Lora;

namespace Soft.Pipeline;

/// <summary>
/// Embeds with the untuned base model while a LoRA adapter is being trained on it: the adapter is switched off for
/// the duration of the call. Grounding must use the base model throughout a run (BIGRec), or the item table and the
/// embeddings of answers would live in different spaces.
/// </summary>
internal sealed class BaseModelEmbedder(ILanguageModel model, Func<LoraAdapter?> currentAdapter) : ITextEmbedder
{
    public float[][] Embed(IReadOnlyList<string> texts)
    {
        var adapter = currentAdapter();
        if (adapter is null || !adapter.Enabled || adapter.IsUnloaded)
            return model.Embed(texts);
        adapter.Enabled = false;
        try
        {
            return model.Embed(texts);
        }
        finally
        {
            adapter.Enabled = true;
        }
    }
}
