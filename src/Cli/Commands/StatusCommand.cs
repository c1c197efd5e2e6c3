using System.CommandLine;
using System.Text.Json.Nodes;
using Pipelines.Cli.Console;
using Pipelines.Core.Running;
using Spectre.Console;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines status FILE</c>: each stage up to date or will run, and why.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var file = CommonOptions.PipelineFile();
        var set = CommonOptions.Set();
        var paramsFile = CommonOptions.ParamsFile();
        var workspace = CommonOptions.Workspace();
        var noColor = CommonOptions.NoColor();
        var json = new Option<bool>("--json") { Description = "Print JSON (stable for scripts; see docs/cli.md)." };
        var command = new Command("status", "Show which stages are up to date and which would run, and why.") { file, set, paramsFile, workspace, noColor, json };
        command.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(parse.GetValue(noColor) || parse.GetValue(json));
            return await UserErrors.GuardAsync(async () =>
            {
                var definition = CommonOptions.LoadPipeline(parse.GetValue(file)!, parse.GetValue(set), parse.GetValue(paramsFile));
                var runner = CommonOptions.CreateRunner(CommonOptions.OpenWorkspace(parse.GetValue(workspace)));
                var statuses = await runner.StatusAsync(definition, cancellationToken: ct);
                if (parse.GetValue(json)) JsonOutput.Write(ToJson(definition.Name, statuses));
                else Print(output, statuses);
                return ExitCodes.Ok;
            }, output);
        });
        return command;
    }

    private static JsonObject ToJson(string pipeline, IReadOnlyList<StagePlanStatus> statuses) => new()
    {
        ["pipeline"] = pipeline,
        ["up_to_date"] = statuses.All(s => !s.WillRun),
        ["stages"] = new JsonArray(statuses.Select(s => (JsonNode?)new JsonObject
        {
            ["id"] = s.StageId, ["will_run"] = s.WillRun, ["reason"] = s.Reason, ["fingerprint"] = s.Fingerprint,
        }).ToArray()),
    };

    public static void Print(ConsoleOutput output, IReadOnlyList<StagePlanStatus> statuses)
    {
        var table = new Table().Border(output.Rich ? TableBorder.Rounded : TableBorder.Ascii).AddColumn("stage").AddColumn("state").AddColumn("why");
        foreach (var s in statuses)
            table.AddRow(Markup.Escape(s.StageId), s.WillRun ? "[yellow]will run[/]" : "[green]up to date[/]", Markup.Escape(s.Reason));
        output.Console.Write(table);
        int stale = statuses.Count(s => s.WillRun);
        output.Line(stale == 0 ? "Everything is up to date." : $"{stale} of {statuses.Count} stages would run.");
    }
}
