using Soft.Pipeline;

namespace Soft.Tests.Pipeline;

/// <summary>A configuration extends another only by appending methods; anything else is another run.</summary>
public sealed class RunConfigurationExtendsTests
{
    private const string Sft = """{ "name": "SFT", "stage": "sft" }""";
    private const string Soft = """{ "name": "SOFT", "stage": "soft" }""";
    private const string Variant = """{ "name": "SOFT (α=10)", "stage": "soft-variant-SOFT-alpha-10" }""";

    private static string Config(string methods, int seed = 1) => $$"""{ "options": { "seed": {{seed}} }, "methods": [{{methods}}], "template": "t" }""";

    [Fact]
    public void Appended_methods_extend_the_configuration()
    {
        RunConfiguration.Extends(Config($"{Sft},{Soft}"), Config($"{Sft},{Soft},{Variant}")).Should().BeTrue();
    }

    [Fact]
    public void The_same_methods_a_changed_setting_a_changed_or_reordered_or_removed_method_do_not()
    {
        RunConfiguration.Extends(Config($"{Sft},{Soft}"), Config($"{Sft},{Soft}")).Should().BeFalse("nothing is added");
        RunConfiguration.Extends(Config($"{Sft},{Soft}"), Config($"{Sft},{Soft},{Variant}", seed: 2)).Should().BeFalse("the seed changed");
        RunConfiguration.Extends(Config($"{Sft},{Soft}"), Config($"{Sft},{Variant},{Soft}")).Should().BeFalse("a method was inserted, not appended");
        RunConfiguration.Extends(Config($"{Sft},{Soft},{Variant}"), Config($"{Sft},{Soft}")).Should().BeFalse("a method was removed");
        RunConfiguration.Extends(Config($"{Sft},{Soft}"), Config($"{Sft},{Soft.Replace("soft\" }", "soft2\" }")},{Variant}")).Should().BeFalse("SOFT's stage changed");
        RunConfiguration.Extends("not json", Config($"{Sft},{Soft},{Variant}")).Should().BeFalse();
    }
}
