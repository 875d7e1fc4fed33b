using Soft.Data;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

public sealed class LastFmTests
{
    private static string Folder => Fixtures.LastFm;

    [Fact]
    public void LastFm_loads_1220_users_4606_artists_and_56794_plays()
    {
        var data = LastFmReader.Read(Folder);

        data.Catalog.Count.Should().Be(4606);
        data.Sequences.Should().HaveCount(1220);
        data.Sequences.Sum(s => s.Items.Count).Should().Be(56_794);
        data.Catalog[0].Should().Be(new CatalogItem(0, "0", "Morcheeba"));
        data.Catalog[2].Title.Should().Be("Café Del Mar");
        data.Catalog.TryGetIndex(LastFmReader.PaddingId.ToString(System.Globalization.CultureInfo.InvariantCulture), out _).Should().BeFalse();
        data.Sequences[0].Should().BeEquivalentTo(new UserSequence("train_0", [0, 1, 2, 3, 4, 5, 6, 7], null, DataSplit.Train));
    }

    [Fact]
    public void LastFm_keeps_llaras_user_disjoint_split()
    {
        var (users, samples) = CountsFromTheFile();

        var dataset = LastFmReader.Load(Folder, new DatasetOptions().WithAllSamples());

        dataset.Protocol.Should().Be(SplitProtocol.Predefined);
        dataset.Sequences!.Where(s => s.Split == DataSplit.Train).Should().HaveCount(users["train"]).And.HaveCount(976);
        dataset.Sequences!.Where(s => s.Split == DataSplit.Valid).Should().HaveCount(users["valid"]).And.HaveCount(122);
        dataset.Sequences!.Where(s => s.Split == DataSplit.Test).Should().HaveCount(users["test"]).And.HaveCount(122);
        dataset.Train.Should().HaveCount(samples["train"]);
        dataset.Valid.Should().HaveCount(samples["valid"]);
        dataset.Test.Should().HaveCount(samples["test"]);
        var trainUsers = dataset.Train.Select(s => s.UserId).ToHashSet();
        dataset.Valid.Concat(dataset.Test).Should().NotContain(s => trainUsers.Contains(s.UserId));
        dataset.Valid.Select(s => s.UserId).Intersect(dataset.Test.Select(s => s.UserId)).Should().BeEmpty();
        dataset.Train.Should().OnlyContain(s => s.History.Count >= 1 && s.History.Count <= 10);
    }

    [Theory]
    // SHA-256 of the files as LLaRA published them (the copy in shared/datasets/lastfm): the embedded data is unedited.
    [InlineData(EmbeddedDatasets.LastFmSequencesResource, "sequences.tsv", "a9d066d714decf730ca631c288aed43fc5dd1f302327ff5551f38ac599016cfd")]
    [InlineData(EmbeddedDatasets.LastFmNamesResource, "id2name.txt", "b7c8a2fdb6b2ee033e4acd105b233e5572d462a5a7e08e4a0cf415dbba9e7f64")]
    [InlineData(EmbeddedDatasets.LastFmNoticeResource, "NOTICE.txt", "79f876c6b183f9ed8df5b79b3d6cee53dd77597979e3cac287ed7797ef685574")]
    public void Embedded_lastfm_is_the_published_data_byte_for_byte(string resource, string file, string sha256)
    {
        using var stream = EmbeddedDatasets.Open(resource);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(copy.ToArray())).Should().Be(sha256);
        copy.ToArray().Should().Equal(File.ReadAllBytes(Path.Combine(Folder, file)), because: $"{resource} and the test fixture are the same file");
        EmbeddedDatasets.LastFmNotice().Should().Contain("non-commercial");
    }

    [Fact]
    public void Embedded_lastfm_loads_like_the_files_on_disk()
    {
        var embedded = EmbeddedDatasets.LastFm(new DatasetOptions().WithAllSamples());
        var files = LastFmReader.Load(Folder, new DatasetOptions().WithAllSamples());

        embedded.Catalog.Items.Should().Equal(files.Catalog.Items);
        Keys(embedded.Train).Should().Equal(Keys(files.Train));
        Keys(embedded.Test).Should().Equal(Keys(files.Test));
        embedded.Statistics.Users.Should().Be(1220);
        embedded.Statistics.Interactions.Should().Be(56_794);
    }

    [Fact]
    public void LastFm_prompt_uses_the_artist_words()
    {
        var dataset = EmbeddedDatasets.LastFm();

        var prompt = dataset.Prompt(dataset.Train[0]);

        prompt.Prompt.Should().Contain("Given a list of artists the user has listened to before, please recommend a new artist that the user likes to the user.");
        prompt.Prompt.Should().Contain("The user has listened to the following artists before: \"");
    }

    private static List<string> Keys(IEnumerable<RecommendationSample> samples) =>
        [.. samples.Select(s => $"{s.UserId}:{string.Join(' ', s.History)}>{s.Target}")];

    /// <summary>Users and samples (every position after the first) per split, counted straight from sequences.tsv.</summary>
    private static (Dictionary<string, int> Users, Dictionary<string, int> Samples) CountsFromTheFile()
    {
        var users = new Dictionary<string, int>();
        var samples = new Dictionary<string, int>();
        foreach (string line in File.ReadLines(Path.Combine(Folder, "sequences.tsv")).Skip(1))
        {
            string[] f = line.Split('\t');
            int length = f[2].Split(' ').Length;
            users[f[0]] = users.GetValueOrDefault(f[0]) + 1;
            samples[f[0]] = samples.GetValueOrDefault(f[0]) + length - 1;
        }
        return (users, samples);
    }
}
