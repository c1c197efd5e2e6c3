using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>The Plotly figures of <see cref="StudyReport"/> that Optuna added later: EDF, rank and timeline.</summary>
internal static class StudyCharts
{
    private static readonly IReadOnlyDictionary<TrialState, string> StateColours = new Dictionary<TrialState, string>
    {
        [TrialState.Complete] = "#1f77b4", [TrialState.Pruned] = "#ff7f0e", [TrialState.Fail] = "#d62728",
        [TrialState.Running] = "#7f7f7f", [TrialState.Waiting] = "#bcbd22",
    };

    /// <summary>
    /// Optuna's <c>plot_edf</c>: the share of complete trials whose value is at most x. Drawn as a step through
    /// the sorted values themselves (one point per trial), so nothing is interpolated.
    /// </summary>
    public static JsonObject Edf(IReadOnlyList<FrozenTrial> complete)
    {
        var traces = new JsonArray();
        if (complete.Count > 0)
        {
            var sorted = complete.Select(t => t.Value!.Value).Order().ToList();
            traces.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers", ["name"] = "EDF", ["line"] = new JsonObject { ["shape"] = "hv" },
                ["x"] = StudyReport.Arr(sorted),
                ["y"] = StudyReport.Arr(Enumerable.Range(1, sorted.Count).Select(i => (double)i / sorted.Count)),
                ["hovertemplate"] = "value %{x:" + StudyReport.HoverFormat + "}<br>share at most this %{y:.3f}<extra></extra>",
            });
        }

        return StudyReport.Figure(traces, StudyReport.Layout("Empirical distribution function", "objective value", "cumulative share of trials"));
    }

    /// <summary>
    /// Optuna's <c>plot_rank</c> for two parameters (one parameter: against the value): each complete trial at
    /// its parameters, coloured by its rank from best (0) to worst (1).
    /// </summary>
    public static JsonObject Rank(Study study, IReadOnlyList<FrozenTrial> complete, IReadOnlyList<string> parameters)
    {
        var traces = new JsonArray();
        var layout = StudyReport.Layout("Rank");
        var points = complete.Where(t => parameters.All(t.Params.ContainsKey)).ToList();
        if (parameters.Count > 0 && points.Count > 0)
        {
            // Rank by value in the study's direction; ties keep trial order so the figure is deterministic.
            var ordered = points.OrderBy(t => study.Direction == StudyDirection.Minimize ? t.Value!.Value : -t.Value!.Value).ThenBy(t => t.Number).ToList();
            var rank = ordered.Select((t, i) => (t.Number, Rank: points.Count == 1 ? 0.0 : (double)i / (points.Count - 1))).ToDictionary(p => p.Number, p => p.Rank);
            var dx = points[^1].Distributions[parameters[0]];
            JsonArray ys;
            string yLabel;
            if (parameters.Count >= 2)
            {
                var dy = points[^1].Distributions[parameters[1]];
                ys = StudyReport.Arr(points.Select(t => StudyReport.Axis(dy, t.InternalParams[parameters[1]])));
                yLabel = StudyReport.AxisLabel(parameters[1], dy);
            }
            else
            {
                ys = StudyReport.Arr(points.Select(t => t.Value!.Value));
                yLabel = "objective value";
            }

            traces.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = "trials",
                ["x"] = StudyReport.Arr(points.Select(t => StudyReport.Axis(dx, t.InternalParams[parameters[0]]))), ["y"] = ys,
                ["text"] = new JsonArray(points.Select(t => (JsonNode?)string.Create(CultureInfo.InvariantCulture,
                    $"trial {t.Number}<br>value {Invariant.Short(t.Value!.Value)}<br>rank {rank[t.Number]:0.00}")).ToArray()),
                ["hovertemplate"] = "%{text}<extra></extra>",
                ["marker"] = new JsonObject
                {
                    ["color"] = StudyReport.Arr(points.Select(t => rank[t.Number])), ["colorscale"] = "RdYlBu", ["reversescale"] = true,
                    ["cmin"] = 0, ["cmax"] = 1, ["showscale"] = true, ["size"] = 8,
                    ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "rank (0 best)" } },
                    ["line"] = new JsonObject { ["width"] = 0.5, ["color"] = "#555" },
                },
            });
            layout = StudyReport.Layout("Rank: " + string.Join(" × ", parameters), StudyReport.AxisLabel(parameters[0], dx), yLabel);
        }

        return StudyReport.Figure(traces, layout);
    }

    /// <summary>Whether every finished trial has start and end times (false for the <c>tune</c> stage's artifacts).</summary>
    public static bool HasTimes(IReadOnlyList<FrozenTrial> trials) =>
        trials.Where(t => t.IsFinished).All(t => t.DatetimeStart is not null && t.DatetimeComplete is not null) && trials.Any(t => t.DatetimeStart is not null);

    /// <summary>
    /// Optuna's <c>plot_timeline</c>: one bar per trial, coloured by state, from its start to its end in seconds
    /// since the first start. Without times (a deterministic artifact) each trial takes one slot in trial order.
    /// </summary>
    public static JsonObject Timeline(IReadOnlyList<FrozenTrial> trials)
    {
        var traces = new JsonArray();
        if (trials.Count == 0)
        {
            return StudyReport.Figure(traces, StudyReport.Layout("Timeline"));
        }

        bool timed = HasTimes(trials);
        DateTime origin = timed ? trials.Where(t => t.DatetimeStart is not null).Min(t => t.DatetimeStart!.Value) : default;
        foreach (var group in trials.GroupBy(t => t.State).OrderBy(g => g.Key))
        {
            var members = group.ToList();
            IEnumerable<double> bases, lengths;
            if (timed)
            {
                bases = members.Select(t => t.DatetimeStart is DateTime s ? (s - origin).TotalSeconds : 0);
                lengths = members.Select(t => t.Duration?.TotalSeconds ?? 0);
            }
            else
            {
                bases = members.Select(t => (double)t.Number);
                lengths = members.Select(_ => 1.0);
            }

            traces.Add(new JsonObject
            {
                ["type"] = "bar", ["orientation"] = "h", ["name"] = TrialsTable.StateName(group.Key),
                ["y"] = new JsonArray(members.Select(t => (JsonNode?)t.Number).ToArray()),
                ["base"] = StudyReport.Arr(bases), ["x"] = StudyReport.Arr(lengths),
                ["marker"] = new JsonObject { ["color"] = StateColours[group.Key] },
                ["hovertemplate"] = timed
                    ? "trial %{y}<br>%{base:" + StudyReport.HoverFormat + "} s + %{x:" + StudyReport.HoverFormat + "} s<extra>%{fullData.name}</extra>"
                    : "trial %{y}<extra>%{fullData.name}</extra>",
            });
        }

        var layout = StudyReport.Layout("Timeline", timed ? "seconds since the first trial started" : "trial order", "trial");
        layout["barmode"] = "overlay";
        return StudyReport.Figure(traces, layout);
    }
}
