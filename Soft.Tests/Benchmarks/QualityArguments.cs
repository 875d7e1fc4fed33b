using Soft.Benchmarks;

namespace Soft.Tests.Benchmarks;

/// <summary>The quality benchmark's settings as its command line gives them, for tests.</summary>
internal static class QualityArguments
{
    /// <summary>The settings of <c>quality ARGS</c>, with no shared folder.</summary>
    public static QualitySettings Settings(params string[] args)
    {
        string[] all = ["quality", .. args];
        return QualitySettings.Parse(all, name => Array.IndexOf(all, name) is int i and >= 0 ? all[i + 1] : null, "/nowhere");
    }
}
