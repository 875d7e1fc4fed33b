using Soft.Data;

namespace Soft.Tests.Data;

public sealed class CatalogFileTests
{
    [Fact]
    public void Writes_and_reads_ids_titles_metadata_and_counts_in_catalogue_order()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, CatalogFile.FileName);
        var catalog = new ItemCatalog([new(0, "51", "Björk \"Homogenic\""), new(1, "7", "Twin", "pop"), new(2, "9", "Twin")]);
        CatalogFile.Write(path, catalog, [3, 0, 12]);

        var (read, counts) = CatalogFile.Read(path);
        read.Items.Should().Equal(catalog.Items);
        counts.Should().Equal(3, 0, 12);
        File.ReadAllText(path).Should().Contain("Björk");
        var wrong = () => CatalogFile.Write(path, catalog, [1]);
        wrong.Should().Throw<ArgumentException>().WithMessage("*1 counts for 3 items*");
    }

    [Fact]
    public void A_damaged_line_is_named()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, CatalogFile.FileName);
        File.WriteAllText(path, "{\"id\":\"1\",\"title\":\"A\",\"count\":1}\n{\"id\":\"2\"}\n");
        var act = () => CatalogFile.Read(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*line 2*");
        File.WriteAllText(path, "{\"id\":\"1\",\"title\":\"A\",\"count\":1}\n{\"id\":\"1\",\"title\":\"B\",\"count\":1}\n");
        act.Should().Throw<InvalidDataException>().WithMessage("*'1' appears twice*");
    }
}
