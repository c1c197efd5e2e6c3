using System.CommandLine;
using System.Text.Json.Nodes;
using Pipelines.Core.Running;
using Pipelines.Cli.Console;
using Pipelines.Cli.Experiments;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines params diff</c> and <c>pipelines metrics diff</c>: what differs between two runs (default: the newest two).</summary>
internal static class DiffCommands
{
    public static Command Params() => Group("params", "Compare the params and stage options of runs.", "Params and stage options that differ between two runs.",
        (old, @new, all) =>
        {
            var changes = RunDiff.Params(old, @new, all);
            var text = new TextTable(["path", "old", "new", "change"]);
            foreach (var c in changes) text.Add(c.Path, c.Old ?? "-", c.New ?? "-", c.Change);
            var json = new JsonArray(changes.Select(c => (JsonNode?)new JsonObject { ["path"] = c.Path, ["old"] = c.Old, ["new"] = c.New, ["change"] = c.Change }).ToArray());
            return (text, json, changes.Count);
        });

    public static Command Metrics() => Group("metrics", "Compare the declared metrics of runs.", "Metrics that differ between two runs, with new − old.",
        (old, @new, all) =>
        {
            var changes = RunDiff.Metrics(old, @new, all);
            var text = new TextTable(["path", "old", "new", "change"]);
            foreach (var c in changes) text.Add(c.Path, new RecordedMetric(c.Old, c.Direction).Text, new RecordedMetric(c.New, c.Direction).Text, c.ChangeText);
            var json = new JsonArray(changes.Select(c => (JsonNode?)new JsonObject
            {
                ["path"] = c.Path, ["old"] = JsonOutput.Number(c.Old), ["new"] = JsonOutput.Number(c.New), ["change"] = JsonOutput.Number(c.Change),
                ["direction"] = c.Direction.ToString().ToLowerInvariant(), ["verdict"] = c.Verdict,
            }).ToArray());
            return (text, json, changes.Count);
        });

    private static Command Group(string name, string description, string diffDescription, Func<RunRecord, RunRecord, bool, (TextTable Text, JsonArray Json, int Count)> diff)
    {
        var runA = new Argument<string?>("run_a") { Description = "The old run (default: the second newest; with only this, compared with the newest).", Arity = ArgumentArity.ZeroOrOne };
        var runB = new Argument<string?>("run_b") { Description = "The new run (default: the newest).", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all", "-a") { Description = "List unchanged entries too." };
        var json = new Option<bool>("--json") { Description = "Print JSON (stable for scripts; see docs/cli.md)." };
        var workspace = CommonOptions.Workspace();
        var command = new Command("diff", diffDescription) { runA, runB, all, json, workspace };
        command.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(noColor: parse.GetValue(json));
            return await UserErrors.GuardAsync(async () =>
            {
                var history = await RunHistory.LoadAsync(CommonOptions.OpenWorkspace(parse.GetValue(workspace)), ct);
                var (old, @new) = history.Pair(parse.GetValue(runA), parse.GetValue(runB));
                var (text, changes, count) = diff(old, @new, parse.GetValue(all));
                if (parse.GetValue(json)) JsonOutput.Write(new JsonObject { ["old"] = old.RunId, ["new"] = @new.RunId, ["changes"] = changes });
                else if (count == 0) output.Line($"No {name} differ between {old.RunId} and {@new.RunId}.");
                else
                {
                    output.Line($"{old.RunId} (old) → {@new.RunId} (new)");
                    text.Print(output);
                }
                return ExitCodes.Ok;
            }, output);
        });
        var group = new Command(name, description);
        group.Subcommands.Add(command);
        return group;
    }
}
