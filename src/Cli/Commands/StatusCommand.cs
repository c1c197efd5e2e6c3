using System.CommandLine;
using System.Text.Json.Nodes;
using Pipelines.Cli.Console;
using Pipelines.Core.Caching;
using Pipelines.Core.Remotes;
using Pipelines.Core.Running;
using Spectre.Console;

namespace Pipelines.Cli.Commands;

/// <summary>
/// <c>pipelines status FILE</c>: each stage up to date or will run, and why. With <c>--remote [R]</c>, also where each
/// output the lock records is: local, remote, both or missing.
/// </summary>
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
        var remote = new Option<string?>("--remote", "-r")
        {
            Description = "Also show, per output in pipelines.lock, whether it is local, on the remote, both or missing (asks the remote: a GET per stage, a HEAD per output). Default: the default remote.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("status", "Show which stages are up to date and which would run, and why.") { file, set, paramsFile, workspace, noColor, json, remote };
        command.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(parse.GetValue(noColor) || parse.GetValue(json));
            return await UserErrors.GuardAsync(async () =>
            {
                var definition = CommonOptions.LoadPipeline(parse.GetValue(file)!, parse.GetValue(set), parse.GetValue(paramsFile));
                var ws = CommonOptions.OpenWorkspace(parse.GetValue(workspace));
                var runner = CommonOptions.CreateRunner(ws);
                var statuses = await runner.StatusAsync(definition, cancellationToken: ct);
                IReadOnlyList<RemoteOutputStatus>? where = null;
                RemoteConfig? config = null;
                if (parse.GetResult(remote) is not null)
                {
                    config = CommonOptions.ResolveRemote(ws, parse.GetValue(remote));
                    var sync = RemoteFactory.Sync(config, ws, new LocalArtifactStore(ws.StateDirectory));
                    where = await sync.StatusAsync(LockFile.Load(ws.LockFilePath), ct);
                }
                if (parse.GetValue(json))
                {
                    var document = ToJson(definition.Name, statuses);
                    if (where is not null) document["remote"] = RemoteJson(config!, where);
                    JsonOutput.Write(document);
                }
                else
                {
                    Print(output, statuses);
                    if (where is not null) PrintRemote(output, config!, where);
                }
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

    private static JsonObject RemoteJson(RemoteConfig config, IReadOnlyList<RemoteOutputStatus> where) => new()
    {
        ["name"] = config.Name,
        ["outputs"] = new JsonArray(where.Select(w => (JsonNode?)new JsonObject
        {
            ["pipeline"] = w.Pipeline, ["stage"] = w.StageId, ["output"] = w.Output, ["hash"] = w.Hash, ["path"] = w.Path,
            ["where"] = w.State.ToString().ToLowerInvariant(),
        }).ToArray()),
    };

    private static void PrintRemote(ConsoleOutput output, RemoteConfig config, IReadOnlyList<RemoteOutputStatus> where)
    {
        var table = new Table().Border(output.Rich ? TableBorder.Rounded : TableBorder.Ascii).AddColumn("pipeline").AddColumn("stage").AddColumn("output").AddColumn("where");
        foreach (var w in where)
            table.AddRow(Markup.Escape(w.Pipeline), Markup.Escape(w.StageId), Markup.Escape(w.Output), w.State.ToString().ToLowerInvariant());
        output.Console.Write(table);
        var counts = Enum.GetValues<RemoteState>().Select(state => $"{where.Count(w => w.State == state)} {state.ToString().ToLowerInvariant()}");
        output.Line($"Remote '{config.Name}': {string.Join(", ", counts)} (of {where.Count} outputs in pipelines.lock; asked the remote per stage and output).");
    }

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
