namespace Soft.Data;

/// <summary>A file a dataset was read from, as the data report lists it.</summary>
/// <param name="Path">The file.</param>
/// <param name="Compression">"gzip", "zstd" or "none", told from the file's first bytes.</param>
/// <param name="Bytes">Its size on disk.</param>
public sealed record DatasetReportFile(string Path, string Compression, long Bytes);
