using System.CommandLine;
using Pipelines.Cli.Console;
using Pipelines.Cli.Experiments;
using Pipelines.Core;
using Pipelines.Core.Running;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines checkout [RUN]</c>: a recorded run's outputs placed back in the workspace from the cache.</summary>
internal static class CheckoutCommand
{
    public static Command Create()
    {
        var run = new Argument<string?>("run") { Description = "The run id or a unique prefix (default: the newest run).", Arity = ArgumentArity.ZeroOrOne };
        var workspace = CommonOptions.Workspace();
        var command = new Command("checkout", "Place a run's outputs back under .pipelines/out (and its user paths) from the cache; nothing runs.") { run, workspace };
        command.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(noColor: true);
            return await UserErrors.GuardAsync(async () =>
            {
                var ws = CommonOptions.OpenWorkspace(parse.GetValue(workspace));
                var history = await RunHistory.LoadAsync(ws, ct);
                var record = parse.GetValue(run) is { } id ? history.Find(id)
                    : history.Runs.Count > 0 ? history.Runs[^1] : throw new UserInputException($"no run has been recorded in {ws.Root} yet.");
                var runner = CommonOptions.CreateRunner(ws);
                var placed = await runner.CheckoutAsync(Path.Combine(ws.RunsDirectory, record.RunId + ".json"), ct);
                foreach (var path in placed) output.Line(path);
                output.Line($"Checked out {placed.Count} outputs of run {record.RunId}.");
                return ExitCodes.Ok;
            }, output);
        });
        return command;
    }
}
