using System.Text.Json.Nodes;

namespace Pipelines.Tuning.Tests.Reporting;

public class StudyReportTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "tuning-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static async Task<Study> PrunedStudy()
    {
        var study = Study.Create("report", sampler: new TpeSampler(2), pruner: new MedianPruner(nStartupTrials: 3));
        await study.OptimizeAsync(
            t =>
            {
                double lr = t.SuggestFloat("lr", 1e-4, 1, log: true);
                long layers = t.SuggestInt("layers", 1, 4);
                string act = t.SuggestCategorical("act", new[] { "relu", "gelu" });
                double loss = 0;
                for (int step = 0; step < 5; step++)
                {
                    loss = Math.Pow(Math.Log10(lr) + 2, 2) + (0.1 * layers) + (act == "relu" ? 0 : 0.2) + (1.0 / (step + 1));
                    t.Report(loss, step);
                    if (t.ShouldPrune())
                    {
                        throw new TrialPrunedException();
                    }
                }

                return loss;
            },
            nTrials: 30);
        return study;
    }

    [Test]
    public async Task The_html_report_is_self_contained_with_every_chart_and_the_trial_table()
    {
        var study = await PrunedStudy();
        Assert.That(study.GetTrials(TrialState.Pruned), Is.Not.Empty, "the study should have pruned trials to show");
        string path = Path.Combine(_dir, "report.html");

        StudyReport.WriteHtml(study, path);
        string html = await File.ReadAllTextAsync(path);

        foreach (string id in StudyReport.ChartIds)
        {
            Assert.That(html, Does.Contain($"<div id=\"chart-{id}\""), id);
        }

        Assert.That(html, Does.Contain("<div id=\"chart-slice-0\"").And.Contain("<div id=\"chart-slice-2\""));
        Assert.That(html, Does.Contain("<table id=\"trials-table\">"));
        Assert.That(html, Does.Not.Contain("<script src="), "nothing is loaded from the network");
        int bundle = html.IndexOf("Plotly.newPlot", StringComparison.Ordinal);
        Assert.That(html.Length, Is.GreaterThan(3_000_000), "plotly.js is inlined");
        Assert.That(html.Split("For license information please see plotly.min.js.LICENSE.txt").Length - 1, Is.EqualTo(1), "plotly.js is inlined exactly once");
        Assert.That(bundle, Is.GreaterThan(0));
        Assert.That(html.Split("<tr><td>").Length - 1, Is.GreaterThanOrEqualTo(30));
    }

    [Test]
    public async Task The_json_report_parses_and_holds_the_trials_best_trial_importances_and_charts()
    {
        var study = await PrunedStudy();
        string path = Path.Combine(_dir, "report.json");

        StudyReport.WriteJson(study, path);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();

        Assert.That(json["trials"]!.AsArray(), Has.Count.EqualTo(30));
        Assert.That(json["best_trial"]!["number"]!.GetValue<int>(), Is.EqualTo(study.BestTrial.Number));
        Assert.That(json["importances"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "lr", "layers", "act" }));
        Assert.That(json["study"]!["states"]!["pruned"]!.GetValue<int>(), Is.EqualTo(study.GetTrials(TrialState.Pruned).Count));
        var charts = json["charts"]!.AsObject();
        Assert.That(charts["history"]!["data"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(charts["parallel"]!["data"]![0]!["dimensions"]!.AsArray(), Has.Count.EqualTo(4));
        Assert.That(charts["contour"]!["data"]![0]!["type"]!.GetValue<string>(), Is.EqualTo("contour"));
        Assert.That(charts["slices"]!.AsArray(), Has.Count.EqualTo(3));
        var intermediate = charts["intermediate"]!["data"]!.AsArray();
        Assert.That(intermediate.Select(t => t!["name"]!.GetValue<string>()).Distinct(), Is.EquivalentTo(new[] { "pruned", "complete" }));
    }

    [Test]
    public void An_empty_study_still_renders_a_report()
    {
        var study = Study.Create("empty");
        string html = StudyReport.RenderHtml(StudyReport.BuildData(study), "Empty");
        Assert.That(html, Does.Contain("<div id=\"chart-history\""));
        Assert.That(StudyReport.BuildData(study)["best_trial"], Is.Null);
    }
}
