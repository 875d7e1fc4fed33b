namespace Soft.Data.Formats;

/// <summary>A folder recognised as one <see cref="DatasetFormat"/>, with the files the reader will use.</summary>
/// <param name="Format">The format.</param>
/// <param name="Folder">The folder, as given.</param>
/// <param name="Name">The dataset's name: the file prefix (RecBole, Amazon, D3) or the folder's name.</param>
/// <param name="Files">The files the reader opens, in the order the format lists them (an optional file is absent when missing).</param>
public sealed record DatasetFolderMatch(DatasetFormat Format, string Folder, string Name, IReadOnlyList<string> Files)
{
    /// <summary>The format's <c>--format</c> name and title, e.g. "recbole-benchmark (RecBole sequential benchmark)".</summary>
    public string Description => $"{DatasetFolder.Info(Format).Name} ({DatasetFolder.Info(Format).Title})";
}
