using Soft.Data;
using Soft.Pipeline;
using Soft.Reporting;
using Soft.Serving;

namespace Soft.Tests.Quickstart;

/// <summary>
/// A run folder that serves tiny-random-gpt2 untuned: base model, two-item catalogue and serving manifest, with SOFT
/// listed but its stage never run — what the <c>export</c> verb meets after a run cut off before SOFT.
/// </summary>
internal static class UntrainedRunFolder
{
    public static void Write(string run)
    {
        string model = Path.Combine(run, LanguageModelSource.BuiltFolderName);
        Directory.CreateDirectory(model);
        foreach (string file in Directory.EnumerateFiles(Fixtures.TinyGpt2))
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        CatalogFile.Write(Path.Combine(run, CatalogFile.FileName), new ItemCatalog([new CatalogItem(0, "1", "Madonna"), new CatalogItem(1, "2", "Radiohead")]), [3, 1]);
        File.WriteAllText(Path.Combine(run, ServingManifest.FileName), new ServingManifest
        {
            Template = "{verb}:\n{history}",
            HistorySeparator = "\n",
            Domain = RecommendationDomain.Artists,
            HistoryLength = 10,
            BaseModel = LanguageModelSource.BuiltFolderName,
            Methods = [new ServedMethod(ReportMethodNames.GuidanceOnly, null, null, false), new ServedMethod(ReportMethodNames.Soft, "soft", "soft/best", false)],
        }.ToJson());
    }
}
