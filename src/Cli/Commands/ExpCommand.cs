using System.CommandLine;
using System.Text.Json.Nodes;
using Pipelines.Cli.Console;
using Pipelines.Cli.Experiments;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines exp show [FILE]</c>: one row per run, the params that differ and the declared metrics (DVC's <c>exp show</c>).</summary>
internal static class ExpCommand
{
    public static Command Create()
    {
        var command = new Command("exp", "Compare runs as experiments.");
        command.Subcommands.Add(Show());
        return command;
    }

    private static Command Show()
    {
        var file = new Argument<FileInfo?>("pipeline") { Description = "Only the runs of this pipeline (default: the pipeline of the newest run).", Arity = ArgumentArity.ZeroOrOne };
        var sortBy = new Option<string?>("--sort-by") { Description = "Sort by a metric (stage.metric, best first) or a differing param." };
        var json = new Option<bool>("--json") { Description = "Print JSON (stable for scripts; see docs/cli.md)." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var workspace = CommonOptions.Workspace();
        var command = new Command("show", "One row per run: the params that differ between runs and every declared metric.") { file, sortBy, json, csv, workspace };
        command.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(noColor: parse.GetValue(json) || parse.GetValue(csv));
            return await UserErrors.GuardAsync(async () =>
            {
                var history = await RunHistory.LoadAsync(CommonOptions.OpenWorkspace(parse.GetValue(workspace)), ct);
                string? pipeline = parse.GetValue(file) is { } f ? CommonOptions.LoadPipeline(f, null, null).Name : null;
                var table = ExperimentTable.Build(history.OfPipeline(pipeline));
                if (parse.GetValue(sortBy) is { } column) table = table.SortBy(column);
                if (parse.GetValue(json)) JsonOutput.Write(ToJson(table, pipeline ?? table.Rows.FirstOrDefault()?.Pipeline));
                else if (parse.GetValue(csv)) ToText(table).WriteCsv(System.Console.Out);
                else if (table.Rows.Count == 0) output.Line("No runs recorded yet.");
                else ToText(table).Print(output);
                return ExitCodes.Ok;
            }, output);
        });
        return command;
    }

    private static TextTable ToText(ExperimentTable table)
    {
        var text = new TextTable(["run", "started", "status", .. table.ParamColumns, .. table.MetricColumns.Select(m => m.Name)]);
        foreach (var run in table.Rows)
            text.Add([run.RunId, run.Started, run.Status, .. table.ParamColumns.Select(p => run.Params.GetValueOrDefault(p) ?? "-"),
                .. table.MetricColumns.Select(m => run.Metrics.TryGetValue(m.Name, out var v) ? v.Text : "-")]);
        return text;
    }

    private static JsonObject ToJson(ExperimentTable table, string? pipeline)
    {
        var runs = new JsonArray();
        foreach (var run in table.Rows)
        {
            var parameters = new JsonObject();
            foreach (var p in table.ParamColumns) parameters[p] = run.Params.GetValueOrDefault(p);
            var metrics = new JsonObject();
            foreach (var m in table.MetricColumns) metrics[m.Name] = run.Metrics.TryGetValue(m.Name, out var v) ? JsonOutput.Number(v.Value) : null;
            runs.Add(new JsonObject { ["run_id"] = run.RunId, ["started"] = run.Started, ["status"] = run.Status, ["params"] = parameters, ["metrics"] = metrics });
        }
        return new JsonObject
        {
            ["pipeline"] = pipeline,
            ["params"] = new JsonArray(table.ParamColumns.Select(p => (JsonNode?)p).ToArray()),
            ["metrics"] = new JsonArray(table.MetricColumns.Select(m => (JsonNode?)new JsonObject { ["name"] = m.Name, ["direction"] = m.Direction.ToString().ToLowerInvariant() }).ToArray()),
            ["runs"] = runs,
        };
    }
}
