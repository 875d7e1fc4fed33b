using Soft.Data;
using Soft.Data.Formats;

namespace Soft.Tests.Data;

public sealed class LastFmTests
{
    private static string Folder => SharedFiles.Path("datasets", "lastfm");

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

    [Fact]
    public void Embedded_lastfm_equals_the_shared_files()
    {
        foreach (var (resource, file) in new[]
        {
            (EmbeddedDatasets.LastFmSequencesResource, "sequences.tsv"),
            (EmbeddedDatasets.LastFmNamesResource, "id2name.txt"),
            (EmbeddedDatasets.LastFmNoticeResource, "SOURCE.txt"),
        })
        {
            using var stream = EmbeddedDatasets.Open(resource);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.ToArray().Should().Equal(File.ReadAllBytes(Path.Combine(Folder, file)), because: $"{resource} is a copy of {file}");
        }
        EmbeddedDatasets.LastFmNotice().Should().Contain("non-commercial");
    }

    [Fact]
    public void Embedded_lastfm_loads_like_the_shared_folder()
    {
        var embedded = EmbeddedDatasets.LastFm(new DatasetOptions().WithAllSamples());
        var shared = LastFmReader.Load(Folder, new DatasetOptions().WithAllSamples());

        embedded.Catalog.Items.Should().Equal(shared.Catalog.Items);
        Keys(embedded.Train).Should().Equal(Keys(shared.Train));
        Keys(embedded.Test).Should().Equal(Keys(shared.Test));
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
