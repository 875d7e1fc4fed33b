namespace Soft.Data.Formats;

/// <summary>What <see cref="DatasetFolder"/> says about one format: its command-line name, title and expected files.</summary>
/// <param name="Format">The format.</param>
/// <param name="Name">The name <c>--format</c> takes, e.g. <c>recbole-benchmark</c>.</param>
/// <param name="Title">A short human title.</param>
/// <param name="ExpectedFiles">The files a folder of this format holds, in words.</param>
public sealed record DatasetFormatInfo(DatasetFormat Format, string Name, string Title, string ExpectedFiles);
