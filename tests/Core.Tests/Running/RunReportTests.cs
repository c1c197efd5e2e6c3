using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Pipelines.Core.Definition;
using Pipelines.Core.Reporting;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Running;

/// <summary>The run report written after every run, and the self-contained one written on request.</summary>
public class RunReportTests
{
    private const string Yaml = "name: report\nstages:\n  a: {uses: source}\n  b: {uses: suffix, with: {suffix: x}, inputs: {table: a.table}}\n";

    [Test]
    public async Task After_a_run_the_report_loads_plotly_from_an_assets_file_written_once()
    {
        using var ws = new TestWorkspace();
        await ws.RunAsync(ws.Load(Yaml));
        string html = await File.ReadAllTextAsync(ws.Workspace.RunReportPath);
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script src=\"(assets/plotly-[^\"]+\\.min\\.js)\"></script>");
        Assert.That(script.Success, Is.True, "the page should load plotly.js from its assets folder");
        string asset = Path.Combine(Path.GetDirectoryName(ws.Workspace.RunReportPath)!, script.Groups[1].Value);
        Assert.That(await File.ReadAllTextAsync(asset), Does.Contain("Plotly"));
        Assert.That(html.Length, Is.LessThan(200_000), "plotly.js must not be inlined as well");
        Assert.That(html, Does.Contain("Plotly.newPlot("));

        var written = File.GetLastWriteTimeUtc(asset);
        await ws.RunAsync(ws.Load(Yaml));
        Assert.That(File.GetLastWriteTimeUtc(asset), Is.EqualTo(written), "the asset is written once, not on every run");
    }

    [Test]
    public async Task A_report_written_on_request_is_self_contained()
    {
        using var ws = new TestWorkspace();
        await ws.RunAsync(ws.Load(Yaml));
        string path = Path.Combine(ws.Root, "elsewhere", "run.html");
        await RunReport.WriteAsync(ws.Workspace, Path.Combine(ws.Workspace.RunsDirectory, "latest.json"), path, selfContained: true);
        string html = await File.ReadAllTextAsync(path);
        Assert.That(html, Does.Not.Contain("<script src="));
        Assert.That(html.Length, Is.GreaterThan(1_000_000), "plotly.js inlined");
        Assert.That(Directory.Exists(Path.Combine(ws.Root, "elsewhere", "assets")), Is.False);
    }

    private const string Diamond = """
        name: diamond
        params:
          rows: 4
          note: "a <b>&</b> c"
        stages:
          a: {uses: source, with: {rows: "${params.rows}", text: hi}}
          b: {uses: suffix, with: {suffix: x}, inputs: {table: a.table}}
          c: {uses: concat-test, inputs: {left: a.table, right: b.table}}
        """;

    [Test]
    public async Task The_dag_has_one_arrow_per_edge_from_the_input_stage_to_its_consumer_and_a_legend_of_the_statuses()
    {
        using var ws = new TestWorkspace();
        await ws.RunAsync(ws.Load(Diamond));
        string html = await File.ReadAllTextAsync(ws.Workspace.RunReportPath);

        // The DAG is the first chart; its layout's annotations are the arrows.
        var call = Regex.Match(html, @"Plotly\.newPlot\('chart1', (.*), (\{.*\}), \{responsive");
        Assert.That(call.Success, Is.True);
        var nodes = JsonNode.Parse(call.Groups[1].Value)!.AsArray()[0]!;
        var at = nodes["text"]!.AsArray().Select((id, i) => (Id: id!.GetValue<string>(), X: nodes["x"]![i]!.GetValue<double>(), Y: nodes["y"]![i]!.GetValue<double>()))
            .ToDictionary(n => n.Id, n => (n.X, n.Y));
        var arrows = JsonNode.Parse(call.Groups[2].Value)!["annotations"]!.AsArray()
            .Where(a => a!["showarrow"]!.GetValue<bool>() && a["arrowhead"]!.GetValue<int>() > 0)
            .Select(a => (From: (a!["ax"]!.GetValue<double>(), a["ay"]!.GetValue<double>()), To: (a["x"]!.GetValue<double>(), a["y"]!.GetValue<double>())))
            .ToArray();
        Assert.That(arrows, Is.EquivalentTo(new[] { (at["a"], at["b"]), (at["a"], at["c"]), (at["b"], at["c"]) }), "edges a→b, a→c, b→c");

        var legend = Regex.Match(html, "<div class=\"legend\".*?</div>").Value;
        foreach (var status in new[] { "ran", "cached", "failed", "skipped" })
            Assert.That(legend, Does.Contain($"data-status=\"{status}\""), status);
    }

    [Test]
    public async Task The_report_shows_the_resolved_params_and_the_overrides_html_escaped()
    {
        using var ws = new TestWorkspace();
        await ws.RunAsync(ws.Load(Diamond, new PipelineOverrides { Sets = ["rows=6", "note=<i>x</i>"] }));
        string html = await File.ReadAllTextAsync(ws.Workspace.RunReportPath);
        var rows = Rows(html);
        Assert.That(rows, Has.Some.EqualTo(new[] { "rows", "6" }));
        Assert.That(rows, Has.Some.EqualTo(new[] { "note", "<i>x</i>" }));
        Assert.That(rows, Has.Some.EqualTo(new[] { "--set", "rows=6" }));
        Assert.That(rows, Has.Some.EqualTo(new[] { "--set", "note=<i>x</i>" }));
        Assert.That(html, Does.Not.Contain("<i>x</i>"), "user text is escaped");
    }

    [Test]
    public async Task Each_declared_metric_stands_beside_the_previous_runs_value_with_the_change()
    {
        using var ws = new TestWorkspace();
        ws.Registry.Add(new ScoreStage());
        const string Scored = "name: scored\nparams: {rows: 4}\nstages:\n  source: {uses: source, with: {rows: \"${params.rows}\", text: hi}}\n  score: {uses: score-test, inputs: {table: source.table}, with: {bonus: 0.5}}\n";
        var first = await ws.RunAsync(ws.Load(Scored));
        var second = await ws.RunAsync(ws.Load(Scored, new PipelineOverrides { Sets = ["rows=6", "score.bonus=1.5"] }));
        var before = JsonNode.Parse(await File.ReadAllTextAsync(first.LogPath))!;
        var after = JsonNode.Parse(await File.ReadAllTextAsync(second.LogPath))!;
        double Metric(JsonNode log, string name) =>
            log["stages"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "score")!["metrics"]![name]!["value"]!.GetValue<double>();

        string html = await File.ReadAllTextAsync(ws.Workspace.RunReportPath);
        Assert.That(html, Does.Contain(before["run_id"]!.GetValue<string>()), "the page names the run it compares with");
        var metrics = Rows(html).Where(r => r.Length == 7 && r[0] == "score").ToDictionary(r => r[1]);
        foreach (var (name, direction, verdict) in new[] { ("score", "higher", "better"), ("rows", "none", "") })
        {
            double previous = Metric(before, name), current = Metric(after, name);
            Assert.That(metrics[name], Is.EqualTo(new[] { "score", name, direction, HtmlReport.Format(previous), HtmlReport.Format(current), HtmlReport.Format(current - previous), verdict }), name);
        }
        Assert.That(Metric(after, "score") - Metric(before, "score"), Is.EqualTo(3.0), "2 more rows and 1 more bonus");
    }

    [Test]
    public async Task The_first_run_of_a_pipeline_says_it_has_nothing_to_compare_with()
    {
        using var ws = new TestWorkspace();
        await ws.RunAsync(ws.Load("name: other\nstages:\n  a: {uses: source}\n"));
        await ws.RunAsync(ws.Load(Yaml));
        Assert.That(await File.ReadAllTextAsync(ws.Workspace.RunReportPath), Does.Contain("No earlier run of this pipeline to compare with."));
    }

    /// <summary>Every table row of the page, as decoded cell texts.</summary>
    private static string[][] Rows(string html) =>
        Regex.Matches(html, "<tr>(.*?)</tr>").Select(row => Regex.Matches(row.Groups[1].Value, "<td[^>]*>(.*?)</td>")
            .Select(c => WebUtility.HtmlDecode(c.Groups[1].Value)).ToArray()).ToArray();
}
