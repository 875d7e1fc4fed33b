using System.Buffers.Binary;
using System.Text;

namespace Soft.Runtime;

/// <summary>
/// Reads and edits the GNU symbol-version sections of a 64-bit little-endian ELF shared library:
/// the versions it needs from other libraries (<c>.gnu.version_r</c>) and the versions it defines
/// (<c>.gnu.version_d</c>). Just enough ELF to diagnose and fix a native library that asks for a
/// newer libstdc++ than the host has.
/// </summary>
internal sealed class ElfVersionTable
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>The <c>VER_FLG_WEAK</c> bit of a needed version: a missing weak version is not fatal to the loader.</summary>
    public const ushort WeakFlag = 0x2;

    private ElfVersionTable(IReadOnlyList<NeededVersion> needed, IReadOnlyList<string> defined)
    {
        Needed = needed;
        Defined = defined;
    }

    /// <summary>Versions this library requires, with the library (soname) each comes from.</summary>
    public IReadOnlyList<NeededVersion> Needed { get; }

    /// <summary>Versions this library defines (for example <c>GLIBCXX_3.4.30</c> in libstdc++).</summary>
    public IReadOnlyList<string> Defined { get; }

    /// <summary>One entry of the version-needs table.</summary>
    /// <param name="File">The library the version is needed from, e.g. <c>libstdc++.so.6</c>.</param>
    /// <param name="Name">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
    /// <param name="Flags">The entry's <c>vna_flags</c>.</param>
    /// <param name="FlagsOffset">Byte offset of <c>vna_flags</c> in the file.</param>
    public sealed record NeededVersion(string File, string Name, ushort Flags, long FlagsOffset)
    {
        /// <summary>True when the loader treats this version as optional.</summary>
        public bool IsWeak => (Flags & WeakFlag) != 0;
    }

    /// <summary>Reads the version tables of the ELF file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file, or a table is truncated.</exception>
    public static ElfVersionTable Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses the version tables from an in-memory ELF image; <paramref name="source"/> names it in errors.</summary>
    public static ElfVersionTable Parse(ReadOnlySpan<byte> elf, string source)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException($"{source}: not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{source}: only 64-bit little-endian ELF files are supported.");

        long shoff = (long)U64(elf, 0x28, source);
        int shentsize = U16(elf, 0x3A, source);
        int shnum = U16(elf, 0x3C, source);

        var needed = new List<NeededVersion>();
        var defined = new List<string>();
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            uint type = U32(elf, sh + 4, source);
            if (type != ShtGnuVerneed && type != ShtGnuVerdef)
                continue;
            long offset = (long)U64(elf, sh + 0x18, source);
            int link = (int)U32(elf, sh + 0x28, source);
            int count = (int)U32(elf, sh + 0x2C, source);
            long strtab = (long)U64(elf, shoff + (long)link * shentsize + 0x18, source);
            if (type == ShtGnuVerneed)
                ReadNeeded(elf, offset, count, strtab, source, needed);
            else
                ReadDefined(elf, offset, count, strtab, source, defined);
        }
        return new ElfVersionTable(needed, defined);
    }

    /// <summary>
    /// Sets <see cref="WeakFlag"/> on every needed entry called <paramref name="versionName"/> in the image.
    /// Returns how many entries changed; 0 when they were already weak (the edit is idempotent).
    /// </summary>
    public static int MarkWeak(Span<byte> elf, string versionName, string source)
    {
        int changed = 0;
        foreach (var entry in Parse(elf, source).Needed)
        {
            if (entry.Name != versionName || entry.IsWeak)
                continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf[(int)entry.FlagsOffset..], (ushort)(entry.Flags | WeakFlag));
            changed++;
        }
        return changed;
    }

    private static void ReadNeeded(ReadOnlySpan<byte> elf, long at, int count, long strtab, string source, List<NeededVersion> into)
    {
        for (int n = 0; n < count; n++)
        {
            int auxCount = U16(elf, at + 2, source);
            string file = CString(elf, strtab + U32(elf, at + 4, source), source);
            long aux = at + U32(elf, at + 8, source);
            for (int a = 0; a < auxCount; a++)
            {
                ushort flags = U16(elf, aux + 4, source);
                string name = CString(elf, strtab + U32(elf, aux + 8, source), source);
                into.Add(new NeededVersion(file, name, flags, aux + 4));
                aux += U32(elf, aux + 12, source);
            }
            uint next = U32(elf, at + 12, source);
            if (next == 0)
                break;
            at += next;
        }
    }

    private static void ReadDefined(ReadOnlySpan<byte> elf, long at, int count, long strtab, string source, List<string> into)
    {
        for (int n = 0; n < count; n++)
        {
            int auxCount = U16(elf, at + 6, source);
            long aux = at + U32(elf, at + 12, source);
            // The first Verdaux names the version itself; later ones name its parents.
            if (auxCount > 0)
                into.Add(CString(elf, strtab + U32(elf, aux, source), source));
            uint next = U32(elf, at + 16, source);
            if (next == 0)
                break;
            at += next;
        }
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> elf, long at, int length, string source)
    {
        if (at < 0 || at + length > elf.Length)
            throw new InvalidDataException($"{source}: ELF structure at offset {at} runs past the end of the file ({elf.Length} bytes).");
        return elf.Slice((int)at, length);
    }

    private static ushort U16(ReadOnlySpan<byte> elf, long at, string source) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(elf, at, 2, source));

    private static uint U32(ReadOnlySpan<byte> elf, long at, string source) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(elf, at, 4, source));

    private static ulong U64(ReadOnlySpan<byte> elf, long at, string source) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(elf, at, 8, source));

    private static string CString(ReadOnlySpan<byte> elf, long at, string source)
    {
        var rest = Slice(elf, at, (int)Math.Min(4096, elf.Length - at), source);
        int end = rest.IndexOf((byte)0);
        if (end < 0)
            throw new InvalidDataException($"{source}: unterminated string at offset {at}.");
        return Encoding.ASCII.GetString(rest[..end]);
    }
}
