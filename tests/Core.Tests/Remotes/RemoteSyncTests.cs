using NUnit.Framework;
using Pipelines.Core.Caching;
using Pipelines.Core.Hashing;
using Pipelines.Core.Remotes;
using Pipelines.Core.Running;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Remotes;

/// <summary>
/// Push, pull, status and read-through between two workspaces sharing one remote, over a pipeline with a table, a
/// user path and a directory output (whose files travel as their own blobs).
/// </summary>
[TestFixture("directory")]
[TestFixture("s3")]
public class RemoteSyncTests(string kind)
{
    private const string Pipeline = """
        name: shared
        stages:
          source:
            uses: source
            with: {rows: 5, text: hello}
          a:
            uses: suffix
            with: {suffix: "-a"}
            inputs: {table: source.table}
            outputs: {table: out/a.parquet}
          copy:
            uses: model-copy
            inputs: {model: model}
        """;

    private S3rverProcess? _s3;
    private TestWorkspace _a = null!;
    private TestWorkspace _b = null!;
    private string _remoteDirectory = null!;
    private RemoteConfig _config = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        if (kind == "s3") _s3 = S3rverProcess.Start();
    }

    [OneTimeTearDown]
    public void StopServer() => _s3?.Dispose();

    [SetUp]
    public void SetUp()
    {
        _a = new TestWorkspace();
        _b = new TestWorkspace();
        _remoteDirectory = Path.Combine(Path.GetTempPath(), "pipelines-remote-sync", Guid.NewGuid().ToString("N"));
        _config = kind == "s3"
            ? new RemoteConfig { Name = "shared", Url = $"s3://{_s3!.Bucket}/{Guid.NewGuid():N}", Endpoint = _s3.Endpoint }
            : new RemoteConfig { Name = "shared", Url = _remoteDirectory };
        foreach (var ws in new[] { _a, _b })
        {
            ws.WriteFile("model/weights.bin", "0123456789");
            ws.WriteFile("model/config.txt", "layers: 2");
        }
    }

    [TearDown]
    public void TearDown()
    {
        _a.Dispose();
        _b.Dispose();
        try { Directory.Delete(_remoteDirectory, true); } catch (IOException) { }
    }

    private CountingRemote Counting(TestWorkspace ws, out RemoteSync sync)
    {
        var counting = new CountingRemote(RemoteFactory.Open(_config, ws.Workspace));
        sync = new RemoteSync(ws.Workspace, new LocalArtifactStore(ws.Workspace.StateDirectory), counting,
            RemoteIndex.Load(RemoteIndex.PathFor(ws.Workspace.StateDirectory, _config.Name), counting.Location));
        return counting;
    }

    private RemoteSync Sync(TestWorkspace ws) => RemoteFactory.Sync(_config, ws.Workspace, new LocalArtifactStore(ws.Workspace.StateDirectory));

    /// <summary>A runs the pipeline; B is a fresh clone of it: the pipeline, its inputs and the committed lock, no <c>.pipelines</c>.</summary>
    private async Task RunAAndCloneToBAsync()
    {
        var result = await _a.RunAsync(_a.Load(Pipeline));
        Assert.That(result.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Ran));
        _b.Load(Pipeline);
        File.Copy(_a.Workspace.LockFilePath, _b.Workspace.LockFilePath);
        ExecutionLog.Take();
    }

    private async Task AssertBRunsNothingAsync(PipelineRunner runner)
    {
        var result = await runner.RunAsync(_b.Load(Pipeline));
        Assert.That(result.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Cached), string.Join("; ", result.Stages.Select(s => $"{s.Id}: {s.Status} {s.Reason}")));
        Assert.That(ExecutionLog.Take(), Is.Empty, "no stage computed in B");
        Assert.That(File.ReadAllBytes(_b.Workspace.LockFilePath), Is.EqualTo(File.ReadAllBytes(_a.Workspace.LockFilePath)), "B's lock is byte-identical to A's");
        Assert.That(File.ReadAllBytes(Path.Combine(_b.Root, "out/a.parquet")), Is.EqualTo(File.ReadAllBytes(Path.Combine(_a.Root, "out/a.parquet"))));
    }

    [Test]
    public async Task A_pushes_and_a_fresh_clone_pulls_checks_out_and_runs_no_stage()
    {
        await RunAAndCloneToBAsync();
        var pushed = await Sync(_a).PushAsync(LockFile.Load(_a.Workspace.LockFilePath));
        Assert.That(pushed.Problems, Is.Empty);
        Assert.That(pushed.StagesTransferred, Is.EqualTo(3));
        // source table, a table, the directory manifest and its two files: 5 blobs, plus 3 entries.
        Assert.That(pushed.Files, Is.EqualTo(5 + 3));

        var pulled = await Sync(_b).PullAsync(LockFile.Load(_b.Workspace.LockFilePath));
        Assert.That(pulled.Problems, Is.Empty);
        Assert.That((pulled.StagesTransferred, pulled.Files), Is.EqualTo((3, 5 + 3)));
        var checkout = await _b.Runner.CheckoutLockAsync();
        Assert.That(checkout.Missing, Is.Empty);
        Assert.That(checkout.Placed, Does.Contain("out/a.parquet").And.Contain(".pipelines/out/shared/copy/copy"));
        Assert.That(File.ReadAllText(Path.Combine(_b.Root, ".pipelines/out/shared/copy/copy/config.txt")), Is.EqualTo("layers: 2"));
        await AssertBRunsNothingAsync(_b.Runner);

        var again = await Sync(_b).PullAsync(LockFile.Load(_b.Workspace.LockFilePath));
        Assert.That((again.StagesTransferred, again.StagesAlreadyThere, again.Files), Is.EqualTo((0, 3, 0)));
    }

    [Test]
    public async Task Push_of_an_unchanged_workspace_asks_the_remote_nothing_and_a_changed_one_sends_only_the_new()
    {
        await _a.RunAsync(_a.Load(Pipeline));
        var first = Counting(_a, out var sync);
        await sync.PushAsync(LockFile.Load(_a.Workspace.LockFilePath));
        Assert.That((first.Uploads, first.EntryPuts, first.Lists), Is.EqualTo((5, 3, 0)));

        var second = Counting(_a, out sync); // a new process: the index is read back from disk
        var result = await sync.PushAsync(LockFile.Load(_a.Workspace.LockFilePath));
        Assert.That(second.Total, Is.EqualTo(0), "no listing, HEAD, upload or entry call");
        Assert.That((result.StagesTransferred, result.StagesAlreadyThere), Is.EqualTo((0, 3)));

        await _a.RunAsync(_a.Load(Pipeline.Replace("suffix: \"-a\"", "suffix: \"-b\"", StringComparison.Ordinal)));
        var third = Counting(_a, out sync);
        await sync.PushAsync(LockFile.Load(_a.Workspace.LockFilePath));
        Assert.That((third.Heads, third.Uploads, third.EntryPuts, third.Lists), Is.EqualTo((1, 1, 1, 0)), "only stage a's new table and entry");
    }

    [Test]
    public async Task A_corrupt_blob_on_the_remote_is_reported_by_pull_and_never_imported()
    {
        await RunAAndCloneToBAsync();
        await Sync(_a).PushAsync(LockFile.Load(_a.Workspace.LockFilePath));
        string hash = LockFile.Load(_a.Workspace.LockFilePath).Stages("shared")["a"].Outputs["table"].Hash;
        // Damaged on the remote behind our back: by hand in the directory (its uploads never replace a blob), by a
        // careless client in the bucket.
        if (kind == "directory") File.WriteAllText(Path.Combine(_remoteDirectory, "blobs", hash[..2], hash[2..]), "not the table");
        else await RemoteFactory.Open(_config, _b.Workspace).UploadBlobAsync(hash, _b.WriteFile("wrong.bin", "not the table"));

        var pulled = await Sync(_b).PullAsync(LockFile.Load(_b.Workspace.LockFilePath));
        Assert.That(pulled.Problems, Has.Count.EqualTo(1));
        Assert.That(pulled.Problems[0], Does.StartWith("stage 'shared/a': blob " + hash).And.Contain("is corrupt (its bytes hash to " + ContentHasher.HashText("not the table") + "); not imported."));
        var local = new LocalArtifactStore(_b.Workspace.StateDirectory);
        Assert.That(await local.ExistsAsync(hash), Is.False);
        string fingerprint = LockFile.Load(_b.Workspace.LockFilePath).Stages("shared")["a"].Fingerprint;
        Assert.That(await local.GetRunCacheEntryAsync(fingerprint), Is.Null, "no entry without its blobs");
        Assert.That(Directory.EnumerateFiles(Path.Combine(_b.Workspace.StateDirectory, "cache", "tmp")), Is.Empty, "the rejected download is gone");
        Assert.That(pulled.StagesTransferred, Is.EqualTo(2), "the other stages still come");
    }

    [Test]
    public async Task Run_in_a_clone_without_pull_restores_every_stage_through_the_remote()
    {
        await RunAAndCloneToBAsync();
        await Sync(_a).PushAsync(LockFile.Load(_a.Workspace.LockFilePath));
        var warnings = new List<string>();
        var readThrough = new RemoteReadThrough(Sync(_b), warnings.Add);
        await AssertBRunsNothingAsync(new PipelineRunner(_b.Workspace, _b.Registry, remote: readThrough));
        Assert.That(readThrough.Fetched, Is.EqualTo(3));
        Assert.That(warnings, Is.Empty);
    }

    [Test]
    public async Task An_unreachable_remote_during_run_is_one_warning_and_the_stages_are_computed()
    {
        await RunAAndCloneToBAsync();
        var counting = Counting(_b, out var sync);
        counting.Unreachable = true;
        var warnings = new List<string>();
        var result = await new PipelineRunner(_b.Workspace, _b.Registry, remote: new RemoteReadThrough(sync, warnings.Add)).RunAsync(_b.Load(Pipeline));
        Assert.That(result.Status, Is.EqualTo("succeeded"));
        Assert.That(result.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Ran));
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain("is not usable (remote " + counting.Location + " is unreachable: Connection refused"));
        // source and copy start at once and may both ask; a, after them, is not asked.
        Assert.That(counting.Total, Is.InRange(1, 2), "asked by the first stages, then left alone");
    }

    [Test]
    public async Task Status_says_local_then_both_and_a_clone_sees_remote()
    {
        await RunAAndCloneToBAsync();
        var before = await Sync(_a).StatusAsync(LockFile.Load(_a.Workspace.LockFilePath));
        Assert.That(before.Select(s => s.State), Is.All.EqualTo(RemoteState.Local));
        Assert.That(before.Select(s => $"{s.StageId}.{s.Output}"), Is.EqualTo(new[] { "a.table", "copy.copy", "source.table" }));
        await Sync(_a).PushAsync(LockFile.Load(_a.Workspace.LockFilePath));
        Assert.That((await Sync(_a).StatusAsync(LockFile.Load(_a.Workspace.LockFilePath))).Select(s => s.State), Is.All.EqualTo(RemoteState.Both));
        Assert.That((await Sync(_b).StatusAsync(LockFile.Load(_b.Workspace.LockFilePath))).Select(s => s.State), Is.All.EqualTo(RemoteState.Remote));
    }
}
