using System.CommandLine;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Slurm;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines worker run REQUEST [--workspace DIR]</c>: what a Slurm job runs on its node (docs/slurm.md).</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var request = new Argument<FileInfo>("request") { Description = "The request file the driver wrote (.pipelines/slurm/FINGERPRINT/request.json)." };
        var workspace = CommonOptions.Workspace();
        var run = new Command("run", "Run one stage request against the shared workspace's store and answer beside the request.") { request, workspace };
        run.SetAction(async (parse, ct) =>
        {
            var ws = CommonOptions.OpenWorkspace(parse.GetValue(workspace));
            var worker = new StageWorker(ws, StageCatalog.CreateRegistry(), WorkspaceConfig.Load(ws).CacheType);
            try
            {
                var answer = await worker.RunAsync(parse.GetValue(request)!.FullName, System.Console.Out, ct);
                await System.Console.Out.WriteLineAsync($"answered: {answer.Outputs.Count} outputs in {answer.Seconds:0.00}s (job {answer.JobId}, attempt {answer.Attempt}, {answer.Node})");
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await System.Console.Error.WriteLineAsync("error: cancelled");
                return ExitCodes.Cancelled;
            }
            catch (Exception ex)
            {
                // The driver fails the stage with the tail of this stream: the message first, the detail after it.
                await System.Console.Error.WriteLineAsync(ex.ToString());
                await System.Console.Error.WriteLineAsync($"error: {ex.Message}");
                return ex is UserInputException or InvalidDataException ? ExitCodes.InvalidInput : ExitCodes.StageFailed;
            }
        });
        return new Command("worker", "Commands a cluster job runs on its node.") { run };
    }
}
