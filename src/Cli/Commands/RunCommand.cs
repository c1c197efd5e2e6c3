using System.CommandLine;
using Pipelines.Cli.Console;
using Pipelines.Core;
using Pipelines.Core.Running;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines run FILE [--set k=v] [--jobs N] [--force [STAGE]] [--dry-run] [--executor local|slurm [--partition P] [--slurm-opt K=V]...]</c>.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = CommonOptions.PipelineFile();
        var set = CommonOptions.Set();
        var paramsFile = CommonOptions.ParamsFile();
        var workspace = CommonOptions.Workspace();
        var noColor = CommonOptions.NoColor();
        var jobs = new Option<int>("--jobs", "-j") { Description = "Stages computed at once (default: number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var force = new Option<string[]?>("--force", "-f")
        {
            Description = "Re-run stages even if cached: all of them, or the named ones.",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Say what would run and why; run nothing." };
        var device = new Option<ComputeDevice>("--device") { Description = "Where stages compute: auto (CUDA if present, else CPU), cpu or cuda.", DefaultValueFactory = _ => ComputeDevice.Auto };

        var executor = new ExecutorChoice();
        var command = new Command("run", "Run a pipeline: compute stale stages, restore the rest from the cache.")
        {
            file, set, paramsFile, jobs, force, dryRun, device, executor.Executor, executor.Partition, executor.SlurmOptions, workspace, noColor,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(parse.GetValue(noColor));
            return await UserErrors.GuardAsync(async () =>
            {
                int jobCount = parse.GetValue(jobs);
                if (jobCount < 1) throw new UserInputException($"--jobs must be at least 1, but got {jobCount}.");
                var definition = CommonOptions.LoadPipeline(parse.GetValue(file)!, parse.GetValue(set), parse.GetValue(paramsFile));
                var forced = parse.GetResult(force) is { } forceResult ? (parse.GetValue(force) ?? []) : null;
                UserErrors.CheckStageNames(forced ?? [], definition.Stages.Select(s => s.Id).ToArray(), parse.GetValue(file)!.Name);
                var options = new RunOptions
                {
                    Jobs = jobCount,
                    ForceAll = forced is { Length: 0 },
                    ForceStages = forced ?? [],
                    Device = parse.GetValue(device),
                };
                var ws = CommonOptions.OpenWorkspace(parse.GetValue(workspace));
                var runner = executor.CreateRunner(parse, ws, parse.GetValue(dryRun) ? null : output.Warning);
                if (parse.GetValue(dryRun))
                {
                    StatusCommand.Print(output, await runner.StatusAsync(definition, options, ct));
                    return ExitCodes.Ok;
                }
                var view = new RunView(output);
                var result = await view.ShowAsync(() => runner.RunAsync(definition, options, view, ct));
                view.Summary(result);
                return result.Succeeded ? ExitCodes.Ok
                    : ct.IsCancellationRequested ? ExitCodes.Cancelled
                    : result.FailedOnInput ? ExitCodes.InvalidInput
                    : ExitCodes.StageFailed;
            }, output);
        });
        return command;
    }
}
