namespace Soft.Tests;

/// <summary>
/// The redistributable files the tests need, copied into the test output under <c>Fixtures/</c> (see
/// <c>Soft.Tests/Fixtures/README.md</c> for origins and licences), so a clone with nothing beside it can run every
/// test except the MovieLens ones (see <see cref="MovieLens100K"/>).
/// </summary>
internal static class Fixtures
{
    /// <summary>Absolute path of the fixtures folder in the test output.</summary>
    public static string Root { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>stories260K (MIT): the quickstart's copy of the model, with llama2.c's reference outputs in <c>expected/</c>.</summary>
    public static string Stories => Path("stories260K");

    /// <summary>tiny-random-gpt2 (Apache-2.0) with ONNX Runtime's and a float64 forward's reference outputs in <c>expected/</c>.</summary>
    public static string TinyGpt2 => Path("tiny-random-gpt2");

    /// <summary>LastFM as split by LLaRA: Soft.Core's embedded copy, as files.</summary>
    public static string LastFm => Path("lastfm");

    /// <summary>Absolute path of a file or folder under the fixtures folder.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
