using Soft.Data;

namespace Soft.Tests.Data;

public sealed class PromptTemplateTests
{
    [Fact]
    public void Alpaca_template_uses_the_domain_words()
    {
        var prompt = PromptTemplate.Alpaca(RecommendationDomain.VideoGames).RenderPrompt(["Halo", "Zelda"]);

        prompt.Should().Be(
            "Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.\n\n" +
            "### Instruction:\nGiven a list of video games the user has played before, please recommend a new video game that the user likes to the user.\n\n" +
            "### Input:\nThe user has played the following video games before: \"Halo\", \"Zelda\"\n\n### Response:\n");
    }

    [Fact]
    public void Compact_template_is_a_fraction_of_the_alpaca_boilerplate()
    {
        var catalog = new ItemCatalog([new CatalogItem(0, "0", "Morcheeba"), new CatalogItem(1, "1", "Enigma")]);
        var sample = new RecommendationSample("u", [0], 1);

        var compact = PromptTemplate.Compact(RecommendationDomain.Artists).Render(sample, catalog);
        var alpaca = PromptTemplate.Alpaca(RecommendationDomain.Artists).Render(sample, catalog);

        compact.Should().Be(new RecommendationPrompt("listened to:\n\"Morcheeba\"\nnext artist:\n", "\"Enigma\""));
        PromptTemplate.Compact(RecommendationDomain.Artists).RenderPrompt(["A", "B"]).Should().Be("listened to:\n\"A\"\n\"B\"\nnext artist:\n", "the compact history is one title per line");
        compact.Completion.Should().Be(alpaca.Completion);
        (alpaca.Prompt.Length - "\"Morcheeba\"".Length).Should().BeGreaterThan(10 * (compact.Prompt.Length - "\"Morcheeba\"".Length));
    }

    [Fact]
    public void Custom_template_fills_every_placeholder_and_keeps_escaped_braces()
    {
        var template = new PromptTemplate("{{{count}}} {nouns}/{noun}/{verb}: {history}\n", RecommendationDomain.Books);

        template.RenderPrompt(["A", "B \"C\""]).Should().Be("{2} books/book/read: \"A\", \"B \\\"C\\\"\"\n");
    }

    [Theory]
    [InlineData("{history} {unknown}", "Unknown placeholder '{unknown}'")]
    [InlineData("no history here", "{history}")]
    [InlineData("{history", "not closed")]
    [InlineData("{history} }", "Stray '}'")]
    public void Bad_templates_are_rejected_with_the_reason(string text, string reason)
    {
        var act = () => new PromptTemplate(text, RecommendationDomain.Movies);

        act.Should().Throw<ArgumentException>().WithMessage($"*{reason}*");
    }

    [Theory]
    [InlineData("Toy Story (1995)", "\"Toy Story (1995)\"")]
    [InlineData("Say \"Hi\"", "\"Say \\\"Hi\\\"\"")]
    [InlineData("AC\\DC", "\"AC\\\\DC\"")]
    [InlineData("two\nlines", "\"two lines\"")]
    public void Titles_are_quoted_one_way_and_read_back(string title, string quoted)
    {
        TitleQuoting.Quote(title).Should().Be(quoted);
        TitleQuoting.TryUnquote(quoted + " and more", out string back).Should().BeTrue();
        back.Should().Be(title.Replace('\n', ' '));
    }

    [Fact]
    public void Unterminated_quote_is_not_a_title()
    {
        TitleQuoting.TryUnquote("\"Toy Sto", out _).Should().BeFalse();
        TitleQuoting.TryUnquote("Toy Story", out _).Should().BeFalse();
    }
}
