using System.Text.Json.Nodes;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// Builds a sampler from configuration: a name (<c>random</c>, <c>tpe</c>, <c>gp</c>, <c>grid</c>) or a map
/// such as <c>{type: tpe, multivariate: true, n_startup_trials: 20, startup: lhs}</c>. Errors name the option.
/// </summary>
public static class SamplerFactory
{
    /// <summary>The sampler names understood by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["random", "tpe", "gp", "grid"];

    /// <summary>Creates the sampler (TPE when <paramref name="spec"/> is null) seeded with <paramref name="seed"/>.</summary>
    /// <param name="spec">A name or a map with <c>type</c> and options.</param>
    /// <param name="seed">Seed for every random choice.</param>
    /// <param name="where">Name used in error messages. Default "sampler".</param>
    /// <param name="nJobs">Trials in flight at once; above 1, TPE's <c>constant_liar</c> defaults to true.</param>
    public static ISampler Create(JsonNode? spec, long seed, string where = "sampler", int nJobs = 1)
    {
        var r = new ConfigReader(spec, where, "tpe");
        switch (r.Type)
        {
            case "random":
                r.EnsureAllRead("no options");
                return new RandomSampler(seed);
            case "tpe":
            {
                var defaults = new TpeSamplerOptions();
                int startup = r.Int("n_startup_trials", 0) ?? defaults.NStartupTrials;
                var options = new TpeSamplerOptions
                {
                    NStartupTrials = startup,
                    NEiCandidates = r.Int("n_ei_candidates", 1) ?? defaults.NEiCandidates,
                    Multivariate = r.Bool("multivariate") ?? defaults.Multivariate,
                    Group = r.Bool("group") ?? defaults.Group,
                    ConstantLiar = r.Bool("constant_liar") ?? (nJobs > 1 || defaults.ConstantLiar), // trials in flight: lie about them, as Optuna advises
                    ConsiderEndpoints = r.Bool("consider_endpoints") ?? defaults.ConsiderEndpoints,
                    ConsiderMagicClip = r.Bool("consider_magic_clip") ?? defaults.ConsiderMagicClip,
                    PriorWeight = r.Double("prior_weight") ?? defaults.PriorWeight,
                    StartupSampler = Startup(r, startup, seed),
                };
                r.EnsureAllRead("n_startup_trials, n_ei_candidates, multivariate, group, constant_liar, consider_endpoints, consider_magic_clip, prior_weight, startup");
                try
                {
                    return new TpeSampler(seed, options);
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"{where}: {ex.Message}", ex);
                }
            }

            case "gp":
            {
                var defaults = new GpSamplerOptions();
                int startup = r.Int("n_startup_trials", 1) ?? defaults.NStartupTrials;
                var options = new GpSamplerOptions
                {
                    NStartupTrials = startup,
                    NCandidates = r.Int("n_candidates", 1) ?? defaults.NCandidates,
                    NLocalSearches = r.Int("n_local_searches", 0) ?? defaults.NLocalSearches,
                    StartupSampler = Startup(r, startup, seed),
                };
                r.EnsureAllRead("n_startup_trials, n_candidates, n_local_searches, startup");
                return new GpSampler(seed, options);
            }

            case "grid":
            {
                if (r.Raw("values") is not JsonObject values || values.Count == 0)
                {
                    throw new ArgumentException($"{where}.values: give the values to try per parameter, e.g. {{lr: [0.001, 0.01], rank: [4, 8]}}.");
                }

                var grid = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
                foreach (var (name, list) in values)
                {
                    if (list is not JsonArray arr || arr.Count == 0)
                    {
                        throw new ArgumentException($"{where}.values.{name}: expected a non-empty list of values.");
                    }

                    grid[name] = arr.Select(CategoricalDistribution.ChoiceFromJson).ToList();
                }

                r.EnsureAllRead("values");
                return new GridSampler(grid);
            }

            default:
                throw new ArgumentException($"{where}: unknown sampler '{r.Type}'; expected one of {string.Join(", ", Names)}.");
        }
    }

    private static ISampler? Startup(ConfigReader r, int startupTrials, long seed) => r.String("startup") switch
    {
        null or "random" => null,
        "lhs" or "latin_hypercube" => new LatinHypercubeSampler(Math.Max(1, startupTrials), seed),
        var other => throw new ArgumentException($"{r.Where}.startup: expected random or lhs, but got '{other}'."),
    };
}
