using Soft.Runtime;
using TorchSharp;

namespace Soft.Tests.Runtime;

[Collection(TorchCollection.Name)]
public sealed class NativeLibraryTests
{
    [Fact]
    public void Native_library_loads_and_computes()
    {
        SoftRuntime.EnsureNativeLibrary();
        using var ones = torch.ones(3);
        ones.sum().item<float>().Should().Be(3f);
    }

    [Fact]
    public void Patch_step_found_the_library_the_process_loads()
    {
        SoftRuntime.EnsureNativeLibrary();
        SoftRuntime.PatchOutcome.Should().NotBeNull();
        SoftRuntime.PatchOutcome!.LibraryPath.Should().NotBeNull(SoftRuntime.PatchOutcome.Message);
        File.Exists(SoftRuntime.PatchOutcome.LibraryPath).Should().BeTrue();
    }

    [Fact]
    public void Loaded_library_has_no_unmet_libstdcxx_version()
    {
        SoftRuntime.EnsureNativeLibrary();
        string library = LibTorchSharpPatch.FindLibrary()!;
        SoftRuntime.UnmetVersions(library, LibTorchSharpPatch.FindHostLibStdCxx()).Should().BeEmpty();
    }

    [Fact]
    public void Patch_marks_only_the_marker_version_weak_and_is_idempotent()
    {
        string original = LibTorchSharpPatch.FindLibrary()!;
        string copy = Path.Combine(Path.GetTempPath(), $"soft-elf-{Guid.NewGuid():N}.so");
        try
        {
            File.Copy(original, copy);
            ClearWeakFlag(copy, LibTorchSharpPatch.RelaxedVersion);
            byte[] before = File.ReadAllBytes(copy);
            var marker = ElfVersionTable.Read(copy).Needed.Single(n => n.Name == LibTorchSharpPatch.RelaxedVersion);
            marker.File.Should().Be("libstdc++.so.6");
            marker.IsWeak.Should().BeFalse();

            LibTorchSharpPatch.PatchFile(copy).Should().BeTrue();
            LibTorchSharpPatch.PatchFile(copy).Should().BeFalse("a second patch changes nothing");

            byte[] after = File.ReadAllBytes(copy);
            after.Length.Should().Be(before.Length);
            Enumerable.Range(0, after.Length).Count(i => after[i] != before[i]).Should().Be(1, "only the vna_flags byte changes");
            var table = ElfVersionTable.Read(copy);
            table.Needed.Single(n => n.Name == LibTorchSharpPatch.RelaxedVersion).IsWeak.Should().BeTrue();
            table.Needed.Where(n => n.Name != LibTorchSharpPatch.RelaxedVersion).Should().OnlyContain(n => !n.IsWeak);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void Diagnosis_of_an_unpatched_library_names_the_missing_version_and_the_file()
    {
        string? libstdcxx = LibTorchSharpPatch.FindHostLibStdCxx();
        libstdcxx.Should().NotBeNull();
        bool hostHasVersion = ElfVersionTable.Read(libstdcxx!).Defined.Contains(LibTorchSharpPatch.RelaxedVersion);
        string copy = Path.Combine(Path.GetTempPath(), $"soft-elf-{Guid.NewGuid():N}.so");
        try
        {
            File.Copy(LibTorchSharpPatch.FindLibrary()!, copy);
            ClearWeakFlag(copy, LibTorchSharpPatch.RelaxedVersion);
            var unmet = SoftRuntime.UnmetVersions(copy, libstdcxx).ToList();
            if (hostHasVersion)
            {
                unmet.Should().BeEmpty();
            }
            else
            {
                unmet.Should().ContainSingle().Which.Should().Contain(LibTorchSharpPatch.RelaxedVersion).And.Contain(copy).And.Contain(libstdcxx!);
            }
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void Reading_a_file_that_is_not_elf_names_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"soft-not-elf-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "definitely not an ELF image, but long enough to have a header of sixty-four bytes......");
        try
        {
            var act = () => ElfVersionTable.Read(path);
            act.Should().Throw<InvalidDataException>().WithMessage($"*{path}*not an ELF file*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void ClearWeakFlag(string path, string version)
    {
        byte[] image = File.ReadAllBytes(path);
        foreach (var need in ElfVersionTable.Parse(image, path).Needed.Where(n => n.Name == version))
            image[need.FlagsOffset] &= unchecked((byte)~ElfVersionTable.WeakFlag);
        File.WriteAllBytes(path, image);
    }
}
