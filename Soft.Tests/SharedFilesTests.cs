namespace Soft.Tests;

public sealed class SharedFilesTests
{
    [Fact]
    public void Shared_folder_is_found_beside_the_repository()
    {
        File.Exists(SharedFiles.Path("models", "stories260K", "config.json")).Should().BeTrue();
        File.Exists(SharedFiles.Path("datasets", "lastfm", "sequences.tsv")).Should().BeTrue();
    }
}
