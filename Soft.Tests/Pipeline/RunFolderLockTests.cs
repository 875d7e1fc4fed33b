using Soft.Pipeline;
using Soft.Runs;

namespace Soft.Tests.Pipeline;

public sealed class RunFolderLockTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_second_run_on_a_folder_in_use_is_refused_until_the_first_ends()
    {
        string root = Path.Combine(_folder.Path, "run");
        using (RunFolderLock.Acquire(root))
        {
            var second = () => RunFolderLock.Acquire(root);
            second.Should().Throw<RunFolderInUseException>().WithMessage($"*{Path.GetFullPath(root)}*in use*");
        }

        using var again = RunFolderLock.Acquire(root);
        File.Exists(Path.Combine(root, RunFolderLock.FileName)).Should().BeTrue();
    }
}
