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
        Assert.That(html, Does.Contain("<table id=\"trials-table\" class=\"sortable\">"));
        Assert.That(html, Does.Not.Contain("<script src="), "nothing is loaded from the network");
        int bundle = html.IndexOf("Plotly.newPlot", StringComparison.Ordinal);
        Assert.That(html.Length, Is.GreaterThan(3_000_000), "plotly.js is inlined");
        Assert.That(html.Split("For license information please see plotly.min.js.LICENSE.txt").Length - 1, Is.EqualTo(1), "plotly.js is inlined exactly once");
        Assert.That(bundle, Is.GreaterThan(0));
        Assert.That(html.Split("<tr><td class=\"num\"").Length - 1, Is.EqualTo(30), "one table row per trial");
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

    private static async Task<Study> OneParameterStudy()
    {
        var study = Study.Create("one", sampler: new RandomSampler(5));
        await study.OptimizeAsync(t => Math.Pow(t.SuggestFloat("x", -3, 3) - 1, 2) / 3, nTrials: 12);
        return study;
    }

    [Test]
    public async Task A_one_parameter_study_leaves_out_importance_and_contour_and_says_why()
    {
        var study = await OneParameterStudy();
        string html = StudyReport.RenderHtml(StudyReport.BuildData(study), "One");

        Assert.That(html, Does.Contain("importance and contour need at least two parameters; this study searches one (x)."));
        Assert.That(html, Does.Not.Contain("<div id=\"chart-importances\"").And.Not.Contain("<div id=\"chart-contour\""));
        foreach (string id in new[] { "history", "edf", "rank", "timeline", "parallel", "intermediate" })
        {
            Assert.That(html, Does.Contain($"<div id=\"chart-{id}\" class=\"chart\">"), id);
        }
    }

    [Test]
    public async Task The_edf_steps_through_the_sorted_complete_values()
    {
        var study = await PrunedStudy();
        var values = study.Trials.Where(t => t.State == TrialState.Complete).Select(t => t.Value!.Value).ToList();
        values.Sort();

        var edf = StudyReport.BuildData(study)["charts"]!["edf"]!["data"]![0]!;
        Assert.That(edf["x"]!.AsArray().Select(v => v!.GetValue<double>()), Is.EqualTo(values));
        Assert.That(edf["y"]!.AsArray().Select(v => v!.GetValue<double>()), Is.EqualTo(Enumerable.Range(1, values.Count).Select(i => (double)i / values.Count)));
    }

    [Test]
    public async Task The_rank_plot_colours_the_best_trial_zero_and_the_worst_one()
    {
        var study = await PrunedStudy();
        var complete = study.Trials.Where(t => t.State == TrialState.Complete).ToList();
        var rank = StudyReport.BuildData(study)["charts"]!["rank"]!["data"]![0]!;
        var colours = rank["marker"]!["color"]!.AsArray().Select(v => v!.GetValue<double>()).ToList();

        Assert.That(colours, Has.Count.EqualTo(complete.Count));
        Assert.That(colours[complete.FindIndex(t => t.Number == study.BestTrial.Number)], Is.EqualTo(0));
        double worst = complete.Max(t => t.Value!.Value);
        Assert.That(colours[complete.FindIndex(t => t.Value == worst)], Is.EqualTo(1));
    }

    [Test]
    public async Task The_timeline_has_one_bar_per_trial_in_its_state_colour_group()
    {
        var study = await PrunedStudy();
        var timeline = StudyReport.BuildData(study)["charts"]!["timeline"]!["data"]!.AsArray();
        foreach (var trace in timeline)
        {
            var state = trace!["name"]!.GetValue<string>();
            var expected = study.Trials.Where(t => TrialsTable.StateName(t.State) == state).Select(t => t.Number);
            Assert.That(trace["y"]!.AsArray().Select(v => v!.GetValue<int>()), Is.EqualTo(expected), state);
        }

        Assert.That(timeline.Sum(t => t!["y"]!.AsArray().Count), Is.EqualTo(study.Trials.Count));
    }

    [Test]
    public async Task Tables_show_six_significant_digits_and_sort_by_the_full_value()
    {
        var study = await OneParameterStudy();
        string html = StudyReport.RenderHtml(StudyReport.BuildData(study), "One", styleSheet: "body{color:#123456}");

        Assert.That(html, Does.Contain("body{color:#123456}"), "the host's page style");
        foreach (var trial in study.Trials)
        {
            double value = trial.Value!.Value;
            string cell = $"<td class=\"num\" data-sort=\"{JsonValue.Create(value).ToJsonString()}\">{value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}</td>";
            Assert.That(html, Does.Contain(cell), $"trial {trial.Number}");
        }
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
