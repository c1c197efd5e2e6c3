using System.CommandLine;
using System.Globalization;
using Pipelines.Cli.Console;
using Pipelines.Core.Caching;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines cache gc|verify</c>.</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var command = new Command("cache", "Maintain the content-addressed cache in .pipelines/cache.");
        var workspace = CommonOptions.Workspace();
        var keepRuns = new Option<int>("--keep-runs") { Description = "Also keep what the newest N run logs reference (default 10).", DefaultValueFactory = _ => 10 };
        var gc = new Command("gc", "Delete blobs that neither pipelines.lock nor recent runs reference.") { workspace, keepRuns };
        gc.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(noColor: false);
            return await UserErrors.GuardAsync(async () =>
            {
                var result = await new CacheMaintenance(CommonOptions.OpenWorkspace(parse.GetValue(workspace))).CollectGarbageAsync(parse.GetValue(keepRuns), ct);
                output.Line($"Kept {result.BlobsKept} blobs; deleted {result.BlobsDeleted} blobs ({(result.BytesFreed / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)} MiB) and {result.RunCacheEntriesDeleted} run-cache entries.");
                return ExitCodes.Ok;
            }, output);
        });
        var verifyWorkspace = CommonOptions.Workspace();
        var verify = new Command("verify", "Re-hash every blob; evict corrupt ones (exit code 1 if any).") { verifyWorkspace };
        verify.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(noColor: false);
            return await UserErrors.GuardAsync(async () =>
            {
                var result = await new CacheMaintenance(CommonOptions.OpenWorkspace(parse.GetValue(verifyWorkspace))).VerifyAsync(null, ct);
                foreach (var hash in result.Corrupt) output.Error($"corrupt blob {hash} evicted");
                output.Line($"Checked {result.BlobsChecked} blobs: {result.Corrupt.Count} corrupt, {result.RunCacheEntriesEvicted} run-cache entries evicted.");
                return result.Corrupt.Count == 0 ? ExitCodes.Ok : ExitCodes.StageFailed;
            }, output);
        });
        command.Subcommands.Add(gc);
        command.Subcommands.Add(verify);
        return command;
    }
}
