using System.CommandLine;
using System.Text.Json.Nodes;
using Pipelines.Cli.Console;
using Spectre.Console;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines runs</c>: the recent run logs.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var workspace = CommonOptions.Workspace();
        var limit = new Option<int>("--limit") { Description = "How many runs (default 20).", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print JSON (stable for scripts; see docs/cli.md)." };
        var command = new Command("runs", "List recent runs with their status and what ran.") { workspace, limit, json };
        command.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(noColor: parse.GetValue(json));
            return await UserErrors.GuardAsync(async () =>
            {
                var ws = CommonOptions.OpenWorkspace(parse.GetValue(workspace));
                var table = new Table().Border(output.Rich ? TableBorder.Rounded : TableBorder.Ascii)
                    .AddColumn("run").AddColumn("pipeline").AddColumn("status").AddColumn("started").AddColumn("seconds").AddColumn("ran").AddColumn("cached").AddColumn("failed");
                var logs = Directory.Exists(ws.RunsDirectory)
                    ? Directory.EnumerateFiles(ws.RunsDirectory, "*.json").Where(f => Path.GetFileName(f) != "latest.json").OrderByDescending(f => Path.GetFileName(f), StringComparer.Ordinal).Take(parse.GetValue(limit))
                    : [];
                var runs = new JsonArray();
                foreach (var log in logs)
                {
                    var doc = JsonNode.Parse(await File.ReadAllTextAsync(log, ct))!;
                    var stages = doc["stages"]!.AsArray().Select(s => s!["status"]!.GetValue<string>()).ToArray();
                    table.AddRow(Markup.Escape(doc["run_id"]!.GetValue<string>()), Markup.Escape(doc["pipeline"]!.GetValue<string>()), doc["status"]!.GetValue<string>(),
                        doc["started"]!.GetValue<string>(), doc["seconds"]?.ToString() ?? "", stages.Count(s => s == "ran").ToString(), stages.Count(s => s == "cached").ToString(),
                        stages.Count(s => s is "failed" or "skipped").ToString());
                    runs.Add(new JsonObject
                    {
                        ["run_id"] = doc["run_id"]!.GetValue<string>(), ["pipeline"] = doc["pipeline"]!.GetValue<string>(), ["status"] = doc["status"]!.GetValue<string>(),
                        ["started"] = doc["started"]!.GetValue<string>(), ["seconds"] = doc["seconds"]?.DeepClone(),
                        ["ran"] = stages.Count(s => s == "ran"), ["cached"] = stages.Count(s => s == "cached"), ["failed"] = stages.Count(s => s is "failed" or "skipped"),
                    });
                }
                if (parse.GetValue(json)) JsonOutput.Write(new JsonObject { ["runs"] = runs });
                else output.Console.Write(table);
                return ExitCodes.Ok;
            }, output);
        });
        return command;
    }
}
