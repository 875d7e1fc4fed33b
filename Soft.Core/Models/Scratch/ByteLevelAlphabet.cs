using System.Text;

namespace Soft.Models.Scratch;

/// <summary>
/// GPT-2's reversible byte-to-character table: every byte becomes one printable character, so byte-level BPE
/// tokens can be written as text in <c>vocab.json</c> and <c>merges.txt</c> (a space becomes 'Ġ').
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = Build();
    private static readonly Dictionary<char, byte> CharToByte =
        Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    /// <summary>The byte-level text of raw bytes (one character per byte).</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
            text.Append(ByteToChar[b]);
        return text.ToString();
    }

    /// <summary>The byte-level text of a string's UTF-8 bytes.</summary>
    public static string Encode(string text) => Encode(Encoding.UTF8.GetBytes(text));

    /// <summary>The raw bytes of a byte-level token.</summary>
    /// <exception cref="ArgumentException">A character is not in the table.</exception>
    public static byte[] Decode(string token)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
        {
            if (!CharToByte.TryGetValue(token[i], out bytes[i]))
                throw new ArgumentException($"'{token}' is not a byte-level token (character U+{(int)token[i]:X4}).", nameof(token));
        }
        return bytes;
    }

    // Printable Latin-1 bytes stand for themselves; the others (controls, space, soft hyphen...) are moved to
    // U+0100 onwards in byte order, as in GPT-2's bytes_to_unicode.
    private static char[] Build()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }
}
