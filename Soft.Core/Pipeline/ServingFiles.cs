using Soft.Data;
using Soft.Reporting;
using Soft.Runs;
using Soft.Serving;
using Soft.Training;

namespace Soft.Pipeline;

/// <summary>
/// Writes what serving reads of a run (<see cref="ServingManifest"/> and <see cref="CatalogFile"/>) into its folder.
/// The pipeline side of the serving files: serving reads them without knowing run stages, report names or the data.
/// </summary>
internal static class ServingFiles
{
    // The run stage the files are recorded under, so a resumed run writes them once and a forced fresh run again.
    public const string Stage = "serving";

    // Called by SoftTrainer once the dataset and template are final; a no-op when a resumed run already wrote them.
    public static void WriteOnce(RunFolder run, RecommendationDataset dataset, PromptTemplate template, int? maxHistoryTitleTokens, string? baseModel, IEnumerable<(string Name, string Stage, bool Adapter)> trained)
    {
        if (run.IsComplete(Stage))
            return;
        var methods = new List<ServedMethod>();
        if (baseModel is not null)
            methods.Add(new ServedMethod(ReportMethodNames.GuidanceOnly, null, null, false));
        methods.AddRange(trained.Select(m => new ServedMethod(m.Name, m.Stage, $"{m.Stage}/{StageFolder.BestFolderName}", m.Adapter)));
        var manifest = new ServingManifest
        {
            Template = template.Text,
            HistorySeparator = template.HistorySeparator,
            ItemTokens = template.ItemTokens,
            MaxHistoryTitleTokens = maxHistoryTitleTokens,
            Domain = dataset.Domain,
            HistoryLength = dataset.HistoryLength,
            BaseModel = baseModel,
            Methods = methods,
        };
        // Popularity counts every training interaction once (TrainingSequences), not once per overlapping sample window.
        var counts = new long[dataset.Catalog.Count];
        foreach (int item in dataset.TrainingSequences.SelectMany(s => s))
            counts[item]++;
        CatalogFile.Write(run.PathOf(CatalogFile.FileName), dataset.Catalog, counts);
        run.WriteText(ServingManifest.FileName, manifest.ToJson());
        run.Complete(Stage, [CatalogFile.FileName, ServingManifest.FileName]);
    }
}
