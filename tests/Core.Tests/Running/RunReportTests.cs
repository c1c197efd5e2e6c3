using NUnit.Framework;
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
}
