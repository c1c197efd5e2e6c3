using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// Review of a study after the fact, like Optuna's visualisations: optimisation history with best-so-far,
/// the empirical distribution function of the values, parameter importances, parallel coordinates, slice plots,
/// a rank plot and a contour of the two most important parameters, intermediate values of pruned vs complete
/// trials, a timeline and a sortable trial table. Importance and contour are left out, with a note, when the study
/// searches one parameter. Written as one self-contained HTML file (plotly.js inlined, works offline) and as JSON
/// with the same data; numbers shown to people have six significant digits, the JSON keeps them whole.
/// </summary>
public static class StudyReport
{
    /// <summary>The chart ids, in page order (slice charts are <c>slice-0</c>, <c>slice-1</c>, ...).</summary>
    public static IReadOnlyList<string> ChartIds { get; } = ["history", "edf", "importances", "parallel", "rank", "contour", "intermediate", "timeline"];

    /// <summary>Said in place of the importance and contour charts of a study with one parameter.</summary>
    public const string OneParameterNote = "Parameter importance and contour need at least two parameters; this study searches one";

    /// <summary>Said under a timeline drawn without wall-clock times (the <c>tune</c> stage keeps them out of its artifacts).</summary>
    public const string TimelineByNumberNote = "The trials hold no start and end times, so each trial takes one slot in trial order (parallel trials are not shown side by side); trial durations are in the run log.";

    /// <summary>Builds the report data: study summary, best trial, importances, all trials and the Plotly figure specs.</summary>
    public static JsonObject BuildData(Study study, IReadOnlyList<ParameterImportance>? importances = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        var trials = study.Trials;
        importances ??= new PedAnovaImportanceEvaluator().Evaluate(trials, study.Direction);
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is double v && double.IsFinite(v)).ToList();

        var counts = new JsonObject();
        foreach (TrialState s in Enum.GetValues<TrialState>())
        {
            counts[TrialsTable.StateName(s)] = trials.Count(t => t.State == s);
        }

        FrozenTrial? best = complete.Count == 0 ? null : study.BestTrial;
        var parameters = trials.SelectMany(t => t.Params.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
        bool oneParameter = parameters.Count == 1;
        var charts = new JsonObject
        {
            ["history"] = HistoryChart(study, trials),
            ["edf"] = StudyCharts.Edf(complete),
            ["importances"] = oneParameter ? null : ImportanceChart(importances),
            ["parallel"] = ParallelChart(study, complete),
            ["rank"] = StudyCharts.Rank(study, complete, importances.Select(i => i.Name).Concat(parameters).Distinct().Take(2).ToList()),
            ["contour"] = oneParameter ? null : ContourChart(complete, importances),
            ["intermediate"] = IntermediateChart(trials),
            ["timeline"] = StudyCharts.Timeline(trials),
            ["slices"] = new JsonArray(SliceCharts(complete).ToArray()),
        };
        var notes = new JsonObject();
        if (oneParameter)
        {
            string why = $"{OneParameterNote} ({parameters[0]}).";
            notes["importances"] = why;
            notes["contour"] = why;
        }

        if (trials.Count > 0 && !StudyCharts.HasTimes(trials))
        {
            notes["timeline"] = TimelineByNumberNote;
        }

        return new JsonObject
        {
            ["study"] = new JsonObject
            {
                ["name"] = study.Name,
                ["direction"] = study.Direction == StudyDirection.Minimize ? "minimize" : "maximize",
                ["n_trials"] = trials.Count,
                ["states"] = counts,
            },
            ["best_trial"] = best is null ? null : TrialJson(best),
            ["importances"] = new JsonArray(importances.Select(i => (JsonNode)new JsonObject { ["name"] = i.Name, ["importance"] = Num(i.Importance) }).ToArray()),
            ["trials"] = new JsonArray(trials.Select(t => (JsonNode)TrialJson(t)).ToArray()),
            ["charts"] = charts,
            ["notes"] = notes,
        };
    }

    /// <summary>Writes the report data as indented JSON.</summary>
    public static void WriteJson(Study study, string path, IReadOnlyList<ParameterImportance>? importances = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllText(path, BuildData(study, importances).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), new UTF8Encoding(false));
    }

    /// <summary>Writes the self-contained HTML report (about 3.7 MB: plotly.js is inlined once).</summary>
    /// <param name="study">The study.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="title">The page title (default: the study's name).</param>
    /// <param name="importances">Importances to show (default: PED-ANOVA's).</param>
    /// <param name="styleSheet">CSS for the page, so a host can give it the style of its other reports (default: <see cref="DefaultStyleSheet"/>).</param>
    public static void WriteHtml(Study study, string path, string? title = null, IReadOnlyList<ParameterImportance>? importances = null, string? styleSheet = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var data = BuildData(study, importances);
        File.WriteAllText(path, RenderHtml(data, title ?? $"Study '{study.Name}'", styleSheet), new UTF8Encoding(false));
    }

    /// <summary>The page style used when the host gives none; it styles the same classes a host's sheet should (<c>figures</c>, <c>chart</c>, <c>sortable</c>, <c>num</c>).</summary>
    public const string DefaultStyleSheet =
        "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1f2328}h1{font-size:1.8rem}h2{margin-top:2rem;font-size:1.3rem}"
        + ".figures{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}.figure{border:1px solid #d0d7de;border-radius:8px;padding:.6rem 1rem}.figure .value{font-size:1.4rem;font-weight:600}.figure .label{color:#59636e;font-size:.85rem}"
        + "table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}th{cursor:pointer;background:#f6f8fa}td.num{text-align:right}"
        + ".chart{width:100%;height:420px;margin:1rem 0}";

    /// <summary>Renders report data (from <see cref="BuildData"/>) as HTML, styled by <paramref name="styleSheet"/> (default <see cref="DefaultStyleSheet"/>).</summary>
    public static string RenderHtml(JsonObject data, string title, string? styleSheet = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sb = new StringBuilder(4_000_000);
        string t = WebUtility.HtmlEncode(title);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").Append(t).Append("</title>\n<style>")
          .Append(styleSheet ?? DefaultStyleSheet).Append(".slices{display:flex;flex-wrap:wrap}.slices .chart{width:360px;height:320px}.note{color:#59636e}</style>\n<script>/*! ")
          .Append(PlotlyScript.License.Replace("*/", "* /", StringComparison.Ordinal))
          .Append(" */\n").Append(PlotlyScript.Script).Append("</script>\n</head><body>\n");
        sb.Append("<h1>").Append(t).Append("</h1>\n");

        var study = data["study"]!.AsObject();
        var figures = new List<(string Label, string Value)> { ("direction", Text(study["direction"])), ("trials", Text(study["n_trials"])) };
        foreach (var (state, count) in study["states"]!.AsObject())
        {
            figures.Add((state, Text(count)));
        }

        if (data["best_trial"] is JsonObject best)
        {
            figures.Add(("best value (trial " + Text(best["number"]) + ")", Short(best["value"])));
        }

        sb.Append("<div class=\"figures\">");
        foreach (var (label, value) in figures)
        {
            sb.Append("<div class=\"figure\"><div class=\"value\">").Append(WebUtility.HtmlEncode(value)).Append("</div><div class=\"label\">").Append(WebUtility.HtmlEncode(label)).Append("</div></div>");
        }

        sb.Append("</div>\n");
        if (data["best_trial"] is JsonObject bestTrial)
        {
            sb.Append("<p>Best parameters: ").Append(WebUtility.HtmlEncode(string.Join(", ", bestTrial["params"]!.AsObject().Select(p => p.Key + " = " + Short(p.Value))))).Append("</p>\n");
        }

        var notes = data["notes"] as JsonObject ?? [];
        Section(sb, "Optimisation history", "history", notes);
        Section(sb, "Empirical distribution of objective values", "edf", notes);
        Section(sb, "Parameter importances (PED-ANOVA)", "importances", notes);
        Section(sb, "Parallel coordinates", "parallel", notes);
        sb.Append("<h2>Slice plots</h2>\n<div class=\"slices\">");
        int slices = data["charts"]!["slices"]!.AsArray().Count;
        for (int i = 0; i < slices; i++)
        {
            sb.Append("<div id=\"chart-slice-").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\" class=\"chart\"></div>");
        }

        sb.Append("</div>\n");
        Section(sb, "Rank of the trials over the two most important parameters", "rank", notes);
        Section(sb, "Contour of the two most important parameters", "contour", notes);
        Section(sb, "Intermediate values (pruned vs complete)", "intermediate", notes);
        Section(sb, "Timeline", "timeline", notes);
        AppendTrialTable(sb, data["trials"]!.AsArray());

        sb.Append("<script>\nconst report = ").Append(data.ToJsonString()).Append(";\n")
          .Append("function draw(id, fig){ const el=document.getElementById(id); if(!el) return; if(!fig || !fig.data || fig.data.length===0){ el.innerHTML='<p class=\"note\">Not enough trials for this chart.</p>'; el.style.height='auto'; return; } Plotly.newPlot(id, fig.data, fig.layout, {responsive:true, displaylogo:false}); }\n")
          .Append("for (const k of ").Append(new JsonArray(ChartIds.Select(id => (JsonNode?)id).ToArray()).ToJsonString()).Append(") draw('chart-'+k, report.charts[k]);\n")
          .Append("report.charts.slices.forEach((f,i)=>draw('chart-slice-'+i, f));\n")
          .Append("document.querySelectorAll('#trials-table th').forEach((th,col)=>th.addEventListener('click',()=>{const tb=th.closest('table').tBodies[0];const rows=[...tb.rows];const asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';")
          .Append("rows.sort((a,b)=>{const x=a.cells[col].dataset.sort??a.cells[col].textContent,y=b.cells[col].dataset.sort??b.cells[col].textContent;const nx=parseFloat(x),ny=parseFloat(y);")
          .Append("const c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:(x===''?1:y===''?-1:x.localeCompare(y));return asc?c:-c;});rows.forEach(r=>tb.appendChild(r));}));\n")
          .Append("</script>\n</body></html>\n");
        return sb.ToString();
    }

    /// <summary>A heading and the chart's container, or the note saying why the chart is left out.</summary>
    private static void Section(StringBuilder sb, string heading, string id, JsonObject notes)
    {
        sb.Append("<h2>").Append(WebUtility.HtmlEncode(heading)).Append("</h2>\n");
        bool leftOut = notes[id] is not null && id is "importances" or "contour";
        if (!leftOut)
        {
            sb.Append("<div id=\"chart-").Append(id).Append("\" class=\"chart\"></div>\n");
        }

        if (notes[id] is JsonNode note)
        {
            sb.Append("<p class=\"note\">").Append(WebUtility.HtmlEncode(Text(note))).Append("</p>\n");
        }
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : node?.ToJsonString() ?? "";

    private static string Html(JsonNode? node) => WebUtility.HtmlEncode(Text(node));

    /// <summary>A number to six significant digits; other values as their text.</summary>
    private static string Short(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out long l) => Invariant.Format(l), // whole numbers (int parameters, steps) in full
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double d) => Invariant.Short(d),
        _ => Text(node),
    };

    /// <summary>A table cell: numbers right-aligned, shown short and sorted by their full value.</summary>
    private static void Cell(StringBuilder sb, JsonNode? node)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            sb.Append("<td class=\"num\" data-sort=\"").Append(WebUtility.HtmlEncode(v.ToJsonString())).Append("\">").Append(WebUtility.HtmlEncode(Short(v))).Append("</td>");
            return;
        }

        sb.Append("<td>").Append(node is null ? "" : Html(node)).Append("</td>");
    }

    private static void AppendTrialTable(StringBuilder sb, JsonArray trials)
    {
        var paramNames = trials.SelectMany(t => t!["params"]!.AsObject().Select(p => p.Key)).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
        sb.Append("<h2>Trials</h2>\n<p class=\"note\">Click a header to sort.</p>\n<table id=\"trials-table\" class=\"sortable\"><thead><tr><th>number</th><th>state</th><th>value</th><th>duration (s)</th>");
        foreach (var p in paramNames)
        {
            sb.Append("<th>").Append(WebUtility.HtmlEncode(p)).Append("</th>");
        }

        sb.Append("<th>last step</th><th>fail reason</th></tr></thead><tbody>\n");
        foreach (var node in trials)
        {
            var t = node!.AsObject();
            sb.Append("<tr>");
            Cell(sb, t["number"]);
            Cell(sb, t["state"]);
            Cell(sb, t["value"]);
            Cell(sb, t["duration_seconds"]);
            foreach (var p in paramNames)
            {
                Cell(sb, t["params"]![p]);
            }

            var iv = t["intermediate_values"]!.AsObject();
            Cell(sb, iv.Count == 0 ? null : JsonValue.Create(int.Parse(iv.Last().Key, CultureInfo.InvariantCulture)));
            Cell(sb, t["fail_reason"]);
            sb.Append("</tr>\n");
        }

        sb.Append("</tbody></table>\n");
    }

    private static JsonObject TrialJson(FrozenTrial t)
    {
        var ps = new JsonObject();
        var dists = new JsonObject();
        foreach (var name in t.Params.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            ps[name] = ValueNode(t.Params[name]);
            dists[name] = t.Distributions[name].ToJson();
        }

        var iv = new JsonObject();
        foreach (var (step, iValue) in t.IntermediateValues)
        {
            iv[step.ToString(CultureInfo.InvariantCulture)] = Num(iValue);
        }

        var attrs = new JsonObject();
        foreach (var (k, e) in t.UserAttrs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            attrs[k] = JsonNode.Parse(e.GetRawText());
        }

        return new JsonObject
        {
            ["number"] = t.Number,
            ["state"] = TrialsTable.StateName(t.State),
            ["value"] = t.Value is double v ? Num(v) : null,
            ["params"] = ps,
            ["distributions"] = dists,
            ["intermediate_values"] = iv,
            ["user_attrs"] = attrs,
            ["datetime_start"] = t.DatetimeStart?.ToString("O", CultureInfo.InvariantCulture),
            ["datetime_complete"] = t.DatetimeComplete?.ToString("O", CultureInfo.InvariantCulture),
            ["duration_seconds"] = t.Duration is TimeSpan d ? Num(Math.Round(d.TotalSeconds, 6)) : null,
            ["fail_reason"] = t.FailReason,
        };
    }

    private static JsonNode? ValueNode(object? v) => v switch
    {
        null => null,
        double d => Num(d),
        long l => JsonValue.Create(l),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        _ => JsonValue.Create(Invariant.Format(v)),
    };

    internal static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    internal static JsonArray Arr(IEnumerable<double> values) => new(values.Select(Num).ToArray());

    internal static JsonObject Figure(JsonArray traces, JsonObject layout) => new() { ["data"] = traces, ["layout"] = layout };

    /// <summary>d3 format of hover numbers: six significant digits, as in the tables.</summary>
    internal const string HoverFormat = ".6g";

    internal static JsonObject Layout(string title, string? x = null, string? y = null, bool xLog = false)
    {
        var l = new JsonObject { ["title"] = new JsonObject { ["text"] = title }, ["margin"] = new JsonObject { ["t"] = 40, ["l"] = 60, ["r"] = 20, ["b"] = 50 } };
        if (x is not null)
        {
            l["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = x }, ["type"] = xLog ? "log" : "-", ["hoverformat"] = HoverFormat };
        }

        if (y is not null)
        {
            l["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = y }, ["hoverformat"] = HoverFormat };
        }

        return l;
    }

    private static JsonObject HistoryChart(Study study, IReadOnlyList<FrozenTrial> trials)
    {
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is double v && double.IsFinite(v)).ToList();
        var bestSoFar = new List<double>();
        double best = double.NaN;
        foreach (var t in complete)
        {
            double v = t.Value!.Value;
            if (double.IsNaN(best) || study.IsBetter(v, best))
            {
                best = v;
            }

            bestSoFar.Add(best);
        }

        var traces = new JsonArray();
        if (complete.Count > 0)
        {
            traces.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = "objective value",
                ["x"] = new JsonArray(complete.Select(t => (JsonNode?)t.Number).ToArray()), ["y"] = Arr(complete.Select(t => t.Value!.Value)),
            });
            traces.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines", ["name"] = "best so far", ["line"] = new JsonObject { ["shape"] = "hv", ["color"] = "#d62728" },
                ["x"] = new JsonArray(complete.Select(t => (JsonNode?)t.Number).ToArray()), ["y"] = Arr(bestSoFar),
            });
        }

        return Figure(traces, Layout("Optimisation history", "trial", "objective value"));
    }

    private static JsonObject ImportanceChart(IReadOnlyList<ParameterImportance> importances)
    {
        var traces = new JsonArray();
        if (importances.Count > 0)
        {
            var ordered = importances.Reverse().ToList();
            traces.Add(new JsonObject
            {
                ["type"] = "bar", ["orientation"] = "h",
                ["x"] = Arr(ordered.Select(i => i.Importance)),
                ["y"] = new JsonArray(ordered.Select(i => (JsonNode?)i.Name).ToArray()),
                ["text"] = new JsonArray(ordered.Select(i => (JsonNode?)i.Importance.ToString("0.000", CultureInfo.InvariantCulture)).ToArray()),
                ["textposition"] = "outside",
            });
        }

        return Figure(traces, Layout("Parameter importances", "importance share", null));
    }

    /// <summary>Numeric axis value of a parameter: log10 for log distributions, the index for categorical ones.</summary>
    internal static double Axis(Distribution d, double internalValue) => d switch
    {
        FloatDistribution { Log: true } => Math.Log10(internalValue),
        IntDistribution { Log: true } => Math.Log10(internalValue),
        _ => internalValue,
    };

    internal static string AxisLabel(string name, Distribution d) => d is FloatDistribution { Log: true } or IntDistribution { Log: true } ? $"log10({name})" : name;

    private static JsonObject ParallelChart(Study study, List<FrozenTrial> complete)
    {
        var space = SearchSpaces.Intersection(complete, includePruned: false);
        var traces = new JsonArray();
        if (complete.Count >= 2 && space.Count > 0)
        {
            var dims = new JsonArray { new JsonObject { ["label"] = "objective", ["values"] = Arr(complete.Select(t => t.Value!.Value)) } };
            foreach (var (name, dist) in space)
            {
                var dim = new JsonObject { ["label"] = AxisLabel(name, dist), ["values"] = Arr(complete.Select(t => Axis(dist, t.InternalParams[name]))) };
                if (dist is CategoricalDistribution c)
                {
                    dim["tickvals"] = new JsonArray(Enumerable.Range(0, c.Choices.Count).Select(i => (JsonNode?)i).ToArray());
                    dim["ticktext"] = new JsonArray(c.Choices.Select(ch => (JsonNode?)Invariant.Format(ch)).ToArray());
                }

                dims.Add(dim);
            }

            traces.Add(new JsonObject
            {
                ["type"] = "parcoords",
                ["dimensions"] = dims,
                ["line"] = new JsonObject
                {
                    ["color"] = Arr(complete.Select(t => t.Value!.Value)), ["colorscale"] = "Viridis", ["showscale"] = true,
                    ["reversescale"] = study.Direction == StudyDirection.Minimize,
                },
            });
        }

        return Figure(traces, Layout("Parallel coordinates"));
    }

    private static IEnumerable<JsonNode> SliceCharts(List<FrozenTrial> complete)
    {
        var names = complete.SelectMany(t => t.Distributions.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var with = complete.Where(t => t.Params.ContainsKey(name)).ToList();
            var dist = with[^1].Distributions[name];
            bool log = dist is FloatDistribution { Log: true } or IntDistribution { Log: true };
            JsonArray xs = dist is CategoricalDistribution
                ? new JsonArray(with.Select(t => (JsonNode?)Invariant.Format(t.Params[name])).ToArray())
                : Arr(with.Select(t => t.InternalParams[name]));
            var trace = new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "markers", ["name"] = name, ["x"] = xs, ["y"] = Arr(with.Select(t => t.Value!.Value)),
                ["marker"] = new JsonObject
                {
                    ["color"] = new JsonArray(with.Select(t => (JsonNode?)t.Number).ToArray()), ["colorscale"] = "Blues", ["showscale"] = false,
                    ["line"] = new JsonObject { ["width"] = 0.5, ["color"] = "#555" },
                },
            };
            yield return Figure([trace], Layout("Slice: " + name, name, "objective value", log));
        }
    }

    private static JsonObject ContourChart(List<FrozenTrial> complete, IReadOnlyList<ParameterImportance> importances)
    {
        var traces = new JsonArray();
        var layout = Layout("Contour");
        var top = importances.Take(2).Select(i => i.Name).ToList();
        if (top.Count == 2)
        {
            var pts = complete.Where(t => t.Params.ContainsKey(top[0]) && t.Params.ContainsKey(top[1])).ToList();
            if (pts.Count >= 3)
            {
                var dx = pts[^1].Distributions[top[0]];
                var dy = pts[^1].Distributions[top[1]];
                var xs = pts.Select(t => Axis(dx, t.InternalParams[top[0]])).ToArray();
                var ys = pts.Select(t => Axis(dy, t.InternalParams[top[1]])).ToArray();
                var zs = pts.Select(t => t.Value!.Value).ToArray();
                const int G = 40;
                double x0 = xs.Min(), x1 = xs.Max(), y0 = ys.Min(), y1 = ys.Max();
                double sx = x1 > x0 ? x1 - x0 : 1, sy = y1 > y0 ? y1 - y0 : 1;
                var gx = Enumerable.Range(0, G).Select(i => x0 + (sx * i / (G - 1))).ToArray();
                var gy = Enumerable.Range(0, G).Select(i => y0 + (sy * i / (G - 1))).ToArray();

                // Inverse-distance weighting of the observed values onto a grid (in axis units scaled to [0, 1]).
                var z = new JsonArray();
                foreach (double yv in gy)
                {
                    var row = new double[G];
                    for (int i = 0; i < G; i++)
                    {
                        double num = 0, den = 0;
                        for (int k = 0; k < xs.Length; k++)
                        {
                            double ddx = (gx[i] - xs[k]) / sx, ddy = (yv - ys[k]) / sy;
                            double w = 1.0 / Math.Pow((ddx * ddx) + (ddy * ddy) + 1e-6, 2);
                            num += w * zs[k];
                            den += w;
                        }

                        row[i] = num / den;
                    }

                    z.Add(Arr(row));
                }

                traces.Add(new JsonObject { ["type"] = "contour", ["x"] = Arr(gx), ["y"] = Arr(gy), ["z"] = z, ["colorscale"] = "Viridis", ["contours"] = new JsonObject { ["coloring"] = "heatmap" }, ["zhoverformat"] = HoverFormat });
                traces.Add(new JsonObject
                {
                    ["type"] = "scatter", ["mode"] = "markers", ["name"] = "trials", ["x"] = Arr(xs), ["y"] = Arr(ys),
                    ["marker"] = new JsonObject { ["color"] = "white", ["size"] = 6, ["line"] = new JsonObject { ["width"] = 1, ["color"] = "black" } },
                    ["text"] = new JsonArray(pts.Select(t => (JsonNode?)("trial " + t.Number.ToString(CultureInfo.InvariantCulture))).ToArray()),
                });
                layout = Layout("Contour: " + top[0] + " × " + top[1], AxisLabel(top[0], dx), AxisLabel(top[1], dy));
            }
        }

        return Figure(traces, layout);
    }

    private static JsonObject IntermediateChart(IReadOnlyList<FrozenTrial> trials)
    {
        var traces = new JsonArray();
        bool shownPruned = false, shownComplete = false;
        foreach (var t in trials.Where(t => t.IntermediateValues.Count > 0 && t.State is TrialState.Complete or TrialState.Pruned).Take(500))
        {
            bool pruned = t.State == TrialState.Pruned;
            bool showLegend = pruned ? !shownPruned : !shownComplete;
            shownPruned |= pruned;
            shownComplete |= !pruned;
            traces.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines+markers",
                ["name"] = pruned ? "pruned" : "complete", ["legendgroup"] = pruned ? "pruned" : "complete", ["showlegend"] = showLegend,
                ["x"] = new JsonArray(t.IntermediateValues.Keys.Select(k => (JsonNode?)k).ToArray()), ["y"] = Arr(t.IntermediateValues.Values),
                ["line"] = new JsonObject { ["color"] = pruned ? "rgba(214,39,40,0.6)" : "rgba(31,119,180,0.8)", ["width"] = 1 },
                ["marker"] = new JsonObject { ["size"] = 3 },
                ["text"] = "trial " + t.Number.ToString(CultureInfo.InvariantCulture),
            });
        }

        return Figure(traces, Layout("Intermediate values", "step", "intermediate value"));
    }
}
