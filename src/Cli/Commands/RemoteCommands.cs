using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipelines.Cli.Console;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Remotes;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines push|pull [--remote R] [-j N]</c>: what <c>pipelines.lock</c> references, to and from a shared cache.</summary>
internal static class RemoteCommands
{
    public static Command Push() => Create("push", "Upload the blobs and run-cache entries pipelines.lock references to a remote (what it is not known to hold).", pull: false);

    public static Command Pull() => Create("pull", "Download what pipelines.lock references from a remote (hash-checked) and check its outputs out; a run after it restores every stage.", pull: true);

    /// <summary><c>--remote NAME</c>: a remote under <c>remotes:</c> in <c>pipelines.config.yaml</c>.</summary>
    public static Option<string?> RemoteOption() => new("--remote", "-r") { Description = "The remote (default: default_remote, or the only one)." };

    private static Command Create(string name, string description, bool pull)
    {
        var remote = RemoteOption();
        var jobs = new Option<int>("--jobs", "-j") { Description = $"Transfers at once (default {RemoteConstants.DefaultJobs}).", DefaultValueFactory = _ => RemoteConstants.DefaultJobs };
        var workspace = CommonOptions.Workspace();
        var noColor = CommonOptions.NoColor();
        var command = new Command(name, description) { remote, jobs, workspace, noColor };
        command.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(parse.GetValue(noColor));
            return await UserErrors.GuardAsync(async () =>
            {
                int jobCount = parse.GetValue(jobs);
                if (jobCount < 1) throw new UserInputException($"--jobs must be at least 1, but got {jobCount}.");
                var ws = CommonOptions.OpenWorkspace(parse.GetValue(workspace));
                var config = CommonOptions.ResolveRemote(ws, parse.GetValue(remote));
                if (!File.Exists(ws.LockFilePath)) throw new UserInputException($"{ws.LockFilePath} does not exist: there is nothing to {name} (run a pipeline, or check out a commit with its lock).");
                var lockFile = LockFile.Load(ws.LockFilePath);
                var sync = RemoteFactory.Sync(config, ws, new LocalArtifactStore(ws.StateDirectory), jobCount);
                var clock = Stopwatch.StartNew();
                TransferResult result;
                // Held like a run's: a run or a gc beside a transfer would clean the cache's temp files under it.
                using (WorkspaceLock.Acquire(ws.StateDirectory))
                    result = pull
                        ? await sync.PullAsync(lockFile, new ProgressLines(output, "pulled", "stages"), ct)
                        : await sync.PushAsync(lockFile, new ProgressLines(output, "pushed", "files"), ct);
                foreach (var problem in result.Problems) output.Error(problem);
                string moved = $"{result.Files} files, {(result.Bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)} MiB";
                string seconds = clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
                if (pull)
                {
                    var checkout = await CommonOptions.CreateRunner(ws).CheckoutLockAsync(ct);
                    output.Line($"Pulled {result.StagesTransferred} stages ({moved}) from '{config.Name}' ({sync.Remote.Location}) in {seconds} s; "
                                + $"{result.StagesAlreadyThere} were already local. Checked out {checkout.Placed.Count} outputs.");
                }
                else
                {
                    output.Line($"Pushed {result.StagesTransferred} stages ({moved}) to '{config.Name}' ({sync.Remote.Location}) in {seconds} s; "
                                + $"{result.StagesAlreadyThere} were already there.");
                }
                return result.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.StageFailed;
            }, output);
        });
        return command;
    }

    /// <summary>Progress as a line at most every second (live or plain alike): "pushed 12/40 files".</summary>
    private sealed class ProgressLines(ConsoleOutput output, string verb, string unit) : IProgress<TransferProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _gate = new();
        private TimeSpan _last = TimeSpan.Zero;

        public void Report(TransferProgress value)
        {
            lock (_gate)
            {
                if (value.Done < value.Total && _clock.Elapsed - _last < TimeSpan.FromSeconds(1)) return;
                _last = _clock.Elapsed;
                if (value.Total > 0) output.Line($"  {verb} {value.Done}/{value.Total} {unit}");
            }
        }
    }
}
