using Soft.IO;

namespace Soft.Tests.IO;

public sealed class AtomicFileTests
{
    [Fact]
    public void Failed_write_leaves_the_old_content_and_no_temporary_file()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("a.txt");
        AtomicFile.WriteAllText(path, "old");

        var act = () => AtomicFile.Write(path, s =>
        {
            s.Write("new, but the writer dies half way"u8);
            throw new IOException("disk full");
        });

        act.Should().Throw<IOException>().WithMessage("disk full");
        File.ReadAllText(path).Should().Be("old");
        Directory.GetFiles(temp.Path).Should().ContainSingle();
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Replacing_a_file_keeps_its_permissions_and_creates_missing_folders()
    {
        using var temp = new TempFolder();
        string path = temp.Combine("deep", "er", "b.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        AtomicFile.WriteAllBytes(path, [4, 5]);

        File.ReadAllBytes(path).Should().Equal(4, 5);
        File.GetUnixFileMode(path).Should().HaveFlag(UnixFileMode.UserExecute);
    }
}
