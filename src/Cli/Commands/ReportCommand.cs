using System.CommandLine;
using Pipelines.Cli.Console;
using Pipelines.Core;
using Pipelines.Core.Reporting;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines report [--run ID] [--out FILE]</c>: the HTML report of a run (the newest by default).</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var workspace = CommonOptions.Workspace();
        var run = new Option<string?>("--run") { Description = "The run id (see `pipelines runs`); default: the newest run." };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Where to write the HTML (default .pipelines/report.html)." };
        var command = new Command("report", "Write the self-contained HTML report of a run: DAG, statuses, timings, key figures, links to stage reports.") { workspace, run, output };
        command.SetAction(async (parse, ct) =>
        {
            var console = new ConsoleOutput(noColor: true);
            return await UserErrors.GuardAsync(async () =>
            {
                var ws = CommonOptions.OpenWorkspace(parse.GetValue(workspace));
                string id = parse.GetValue(run) ?? "latest";
                string log = Path.Combine(ws.RunsDirectory, id + ".json");
                if (!File.Exists(log)) throw new UserInputException(id == "latest" ? $"no run has been recorded in {ws.Root} yet." : $"no run '{id}' in {ws.RunsDirectory}.");
                string path = await RunReport.WriteAsync(ws, log, parse.GetValue(output)?.FullName ?? ws.RunReportPath, selfContained: true, ct);
                System.Console.WriteLine($"Wrote {path}");
                return ExitCodes.Ok;
            }, console);
        });
        return command;
    }
}
