using Soft.Benchmarks;

namespace Soft.Tests.Benchmarks;

public sealed class DocumentSectionTests
{
    [Fact]
    public void The_text_between_the_markers_is_replaced_and_the_rest_kept()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "BENCHMARKS.md");
        var section = DocumentSection.Resources;
        File.WriteAllText(path, $"# Benchmarks\n\n## Resources\n\nBy hand.\n\n{section.Start}\nold table\n{section.End}\n\n## Next\n");

        section.Update(path, "new table\n");

        File.ReadAllText(path).Should().Be($"# Benchmarks\n\n## Resources\n\nBy hand.\n\n{section.Start}\nnew table\n{section.End}\n\n## Next\n");
    }

    [Fact]
    public void A_document_without_the_section_gets_it_appended_and_other_sections_are_untouched()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "BENCHMARKS.md");
        var quality = DocumentSection.Quality(QualityRegime.DefaultName);
        File.WriteAllText(path, $"# Benchmarks\n\n{quality.Start}\nquality\n{quality.End}\n");

        DocumentSection.Resources.Update(path, "resources");

        File.ReadAllText(path).Should().Be($"# Benchmarks\n\n{quality.Start}\nquality\n{quality.End}\n\n{DocumentSection.Resources.Start}\nresources\n{DocumentSection.Resources.End}\n");
    }

    [Fact]
    public void Each_regime_writes_its_own_quality_section_and_the_default_keeps_the_first_name()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "BENCHMARKS.md");
        DocumentSection.Quality(QualityRegime.DefaultName).Start.Should().StartWith("<!-- quality-benchmark:start");

        DocumentSection.Quality(QualityRegime.DefaultName).Update(path, "default");
        DocumentSection.Quality(QualityRegime.BornAgainName).Update(path, "born-again");
        DocumentSection.Quality(QualityRegime.DefaultName).Update(path, "default, again");

        string text = File.ReadAllText(path);
        text.Should().Contain("default, again").And.Contain("born-again").And.NotContain("default\n");
        text.Should().Contain("<!-- quality-benchmark-born-again:start");
    }

    [Fact]
    public void A_start_marker_without_its_end_is_refused_and_the_file_left_as_it_was()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "BENCHMARKS.md");
        string text = $"# Benchmarks\n{DocumentSection.Resources.Start}\ntable\n";
        File.WriteAllText(path, text);

        var act = () => DocumentSection.Resources.Update(path, "new");

        act.Should().Throw<InvalidDataException>().WithMessage($"{path}: the section's start marker*has no end marker after it.");
        File.ReadAllText(path).Should().Be(text);
    }
}
