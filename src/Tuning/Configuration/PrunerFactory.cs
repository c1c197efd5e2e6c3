using System.Text.Json.Nodes;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// Builds a pruner from configuration: a name (<c>none</c>, <c>median</c>, <c>percentile</c>,
/// <c>successive_halving</c>, <c>hyperband</c>) or a map such as <c>{type: hyperband, max_resource: 27}</c>.
/// </summary>
public static class PrunerFactory
{
    /// <summary>The pruner names understood by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["none", "median", "percentile", "successive_halving", "hyperband"];

    /// <summary>Creates the pruner (none when <paramref name="spec"/> is null).</summary>
    /// <param name="spec">A name or a map with <c>type</c> and options.</param>
    /// <param name="where">Name used in error messages. Default "pruner".</param>
    public static IPruner Create(JsonNode? spec, string where = "pruner")
    {
        var r = new ConfigReader(spec, where, "none");
        try
        {
            switch (r.Type)
            {
                case "none":
                    r.EnsureAllRead("no options");
                    return new NopPruner();
                case "median":
                case "percentile":
                {
                    double percentile = r.Type == "median" ? 50 : r.Double("percentile") ?? throw new ArgumentException($"{where}.percentile is required for the percentile pruner.");
                    var p = new PercentilePruner(
                        percentile,
                        r.Int("n_startup_trials", 0) ?? 5,
                        r.Int("n_warmup_steps", 0) ?? 0,
                        r.Int("interval_steps", 1) ?? 1,
                        r.Int("n_min_trials", 1) ?? 1);
                    r.EnsureAllRead((r.Type == "percentile" ? "percentile, " : "") + "n_startup_trials, n_warmup_steps, interval_steps, n_min_trials");
                    return r.Type == "median" ? new MedianPruner(p.NStartupTrials, p.NWarmupSteps, p.IntervalSteps, p.NMinTrials) : p;
                }

                case "successive_halving":
                case "asha":
                {
                    var p = new SuccessiveHalvingPruner(
                        r.Int("min_resource", 1) ?? 1,
                        r.Int("reduction_factor", 2) ?? 4,
                        r.Int("min_early_stopping_rate", 0) ?? 0,
                        r.Int("bootstrap_count", 0) ?? 0);
                    r.EnsureAllRead("min_resource, reduction_factor, min_early_stopping_rate, bootstrap_count");
                    return p;
                }

                case "hyperband":
                {
                    int max = r.Int("max_resource", 2) ?? throw new ArgumentException($"{where}.max_resource is required for hyperband (the steps of a full trial, e.g. epochs).");
                    var p = new HyperbandPruner(max, r.Int("min_resource", 1) ?? 1, r.Int("reduction_factor", 2) ?? 3, r.Int("bootstrap_count", 0) ?? 0);
                    r.EnsureAllRead("max_resource, min_resource, reduction_factor, bootstrap_count");
                    return p;
                }

                default:
                    throw new ArgumentException($"{where}: unknown pruner '{r.Type}'; expected one of {string.Join(", ", Names)}.");
            }
        }
        catch (ArgumentException ex) when (!ex.Message.StartsWith(where, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{where}: {ex.Message}", ex);
        }
    }
}
