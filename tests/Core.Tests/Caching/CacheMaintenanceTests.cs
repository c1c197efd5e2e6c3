using NUnit.Framework;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Caching;

public class CacheMaintenanceTests
{
    [Test]
    public async Task Gc_keeps_what_the_lock_file_references_and_drops_superseded_results()
    {
        using var ws = new TestWorkspace();
        await ws.RunAsync(ws.Load(Yaml.Diamond, new PipelineOverrides { Sets = ["suffix_a=-old"] }));
        await ws.RunAsync(ws.Load(Yaml.Diamond));
        int blobsBefore = Directory.GetFiles(Path.Combine(ws.Root, ".pipelines/cache"), "*", SearchOption.AllDirectories).Length;

        var result = await new CacheMaintenance(ws.Workspace).CollectGarbageAsync(keepRuns: 0);
        Assert.That(result.BlobsDeleted, Is.GreaterThan(0));
        Assert.That(result.RunCacheEntriesDeleted, Is.EqualTo(3), "a, b and d of the superseded '-old' run");
        Assert.That(Directory.GetFiles(Path.Combine(ws.Root, ".pipelines/cache"), "*", SearchOption.AllDirectories), Has.Length.EqualTo(blobsBefore - result.BlobsDeleted));

        ExecutionLog.Take();
        var after = await ws.RunAsync(ws.Load(Yaml.Diamond));
        Assert.That(after.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Cached), "everything the lock file references survives");
        Assert.That(ExecutionLog.Take(), Is.Empty);
    }

    [Test]
    public async Task Verify_finds_nothing_wrong_in_a_healthy_cache_and_evicts_a_tampered_blob_with_its_entries()
    {
        using var ws = new TestWorkspace();
        var run = await ws.RunAsync(ws.Load(Yaml.Diamond));
        var maintenance = new CacheMaintenance(ws.Workspace);
        Assert.That((await maintenance.VerifyAsync()).Corrupt, Is.Empty);

        string hash = run.Stages.Single(s => s.Id == "a").Outputs["table"];
        string blob = Path.Combine(ws.Root, ".pipelines/cache", hash[..2], hash[2..]);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.AppendAllText(blob, "x");
        var verdict = await maintenance.VerifyAsync();
        Assert.That(verdict.Corrupt, Is.EqualTo(new[] { hash }));
        Assert.That(verdict.RunCacheEntriesEvicted, Is.EqualTo(1));

        ExecutionLog.Take();
        await ws.RunAsync(ws.Load(Yaml.Diamond));
        Assert.That(ExecutionLog.Take(), Is.EqualTo(new[] { "a" }), "only the stage whose output was corrupt recomputes (b and d see identical input)");
    }

    [Test]
    public async Task Gc_and_verify_are_refused_while_a_run_holds_the_workspace_lock()
    {
        using var ws = new TestWorkspace();
        await ws.RunAsync(ws.Load(Yaml.Diamond));
        var maintenance = new CacheMaintenance(ws.Workspace);
        using (WorkspaceLock.Acquire(ws.Workspace.StateDirectory))
        {
            Assert.ThrowsAsync<WorkspaceBusyException>(() => maintenance.CollectGarbageAsync(keepRuns: 0));
            Assert.ThrowsAsync<WorkspaceBusyException>(() => maintenance.VerifyAsync());
        }
        Assert.That((await maintenance.VerifyAsync()).Corrupt, Is.Empty, "free again once the run is over");
    }

    [Test]
    public async Task A_run_cleans_scratch_left_by_a_killed_run()
    {
        using var ws = new TestWorkspace();
        string leftover = Path.Combine(ws.Workspace.TempDirectory, "a-deadbeef", "scratch");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, "half.bin"), "x");
        await ws.RunAsync(ws.Load(Yaml.Diamond));
        Assert.That(Directory.Exists(Path.Combine(ws.Workspace.TempDirectory, "a-deadbeef")), Is.False);
    }
}
