using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Soft.Recommenders;
using Soft.Serving;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a trained run's recommender in a hosted application's services.</summary>
public static class SoftRecommenderServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SoftRecommender"/> (and <see cref="IRecommender"/>, the same instance) as a singleton loaded
    /// from <paramref name="runFolder"/> with the options <paramref name="configure"/> sets. The options are validated
    /// when the host starts (each failure naming its property), so a bad setting stops the app before it takes
    /// traffic; the model itself loads when the recommender is first resolved (resolve it at startup to load eagerly),
    /// and the container disposes it.
    /// </summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="runFolder">A finished run folder.</param>
    /// <param name="configure">Sets the method and the answer rules; null for the defaults.</param>
    /// <returns>The updated <see cref="IServiceCollection"/> instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="runFolder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="runFolder"/> is empty.</exception>
    /// <example>
    /// <code>
    /// builder.Services.AddSoftRecommender("runs/quickstart", o => o.Method = "SOFT");
    /// ...
    /// app.MapPost("/recommendations", (IRecommender recommender, string[] history) => recommender.Recommend(history, 10));
    /// </code>
    /// </example>
    public static IServiceCollection AddSoftRecommender(this IServiceCollection services, string runFolder, Action<RecommenderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(runFolder);
        services.AddValidatedOptions<RecommenderOptions, RecommenderOptionsValidator>(configure);
        services.TryAddSingleton(provider => SoftRecommender.Load(runFolder, provider.GetRequiredService<IOptions<RecommenderOptions>>().Value));
        services.TryAddSingleton<IRecommender>(provider => provider.GetRequiredService<SoftRecommender>());
        return services;
    }
}
