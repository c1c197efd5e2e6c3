using NUnit.Framework;
using Pipelines.Core.Caching;
using Pipelines.Core.Hashing;
using Pipelines.Core.Running;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Caching;

/// <summary>Issue 13, defect 2: a user writing into a materialised output never corrupts the cache.</summary>
public class MaterializationTests
{
    private TestWorkspace _ws = null!;

    [SetUp]
    public void SetUp() => _ws = new TestWorkspace();

    [TearDown]
    public void TearDown() => _ws.Dispose();

    private string Output => Path.Combine(_ws.Root, ".pipelines/out/diamond/b/table.parquet");

    private static void Overwrite(string path)
    {
        // As root would: the read-only bit does not stop the write.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        else File.SetAttributes(path, FileAttributes.Normal);
        File.WriteAllText(path, "x\n");
    }

    [Test]
    public async Task Writing_into_a_materialised_output_leaves_its_blob_intact_and_the_next_run_restores_the_output()
    {
        await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        byte[] original = await File.ReadAllBytesAsync(Output);
        string hash = ContentHasher.HashBytes(original);
        string blob = _ws.Runner.Cache.Store.LocalPath(hash)!;

        Overwrite(Output);

        Assert.That(ContentHasher.HashBytes(await File.ReadAllBytesAsync(blob)), Is.EqualTo(hash), "the output is a copy, not the blob");
        ExecutionLog.Take();
        var rerun = await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        Assert.That(rerun.Status, Is.EqualTo("succeeded"));
        Assert.That(ExecutionLog.Take(), Is.Empty, "the cache is intact, nothing needs computing");
        Assert.That(await File.ReadAllBytesAsync(Output), Is.EqualTo(original), "run restores the modified output");
    }

    [Test]
    public async Task Status_reports_a_modified_output_and_run_restores_it()
    {
        await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        Overwrite(Output);

        var status = await _ws.Runner.StatusAsync(_ws.Load(Yaml.Diamond));
        var b = status.Single(s => s.StageId == "b");
        Assert.That(b.Reason, Does.StartWith("output modified: b.table"));
        Assert.That(status.Where(s => s.StageId != "b").Select(s => s.Reason), Is.All.EqualTo("up to date"));

        await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        var after = await _ws.Runner.StatusAsync(_ws.Load(Yaml.Diamond));
        Assert.That(after.Select(s => s.Reason), Is.All.EqualTo("up to date"));
    }

    [Test]
    public async Task With_hard_links_a_write_through_the_link_evicts_the_blob_and_the_stage_is_recomputed_not_served()
    {
        var runner = new PipelineRunner(_ws.Workspace, _ws.Registry, cacheType: CacheType.Hardlink);
        await runner.RunAsync(_ws.Load(Yaml.Diamond));
        byte[] original = await File.ReadAllBytesAsync(Output);
        string blob = runner.Cache.Store.LocalPath(ContentHasher.HashBytes(original))!;
        Assume.That(FileIdentityOf(blob), Is.EqualTo(FileIdentityOf(Output)), "hard links are available here");

        Overwrite(Output);
        Assert.That(File.ReadAllText(blob), Is.EqualTo("x\n"), "through a hard link the write reaches the blob");

        ExecutionLog.Take();
        var rerun = await runner.RunAsync(_ws.Load(Yaml.Diamond));
        Assert.That(rerun.Status, Is.EqualTo("succeeded"));
        Assert.That(ExecutionLog.Take(), Does.Contain("b"), "the corrupt blob is not served: b runs again");
        Assert.That(await File.ReadAllBytesAsync(Output), Is.EqualTo(original));
        Assert.That(await File.ReadAllBytesAsync(blob), Is.EqualTo(original), "the blob was rewritten with the right bytes");
    }

    [Test]
    public async Task Publishing_the_same_content_over_a_corrupt_blob_replaces_it()
    {
        var store = new LocalArtifactStore(_ws.Workspace.StateDirectory);
        string source = _ws.WriteFile("a.txt", "hello");
        string hash = await store.PutFileAsync(source, move: false);
        Overwrite(store.LocalPath(hash)!);

        string again = await store.PutFileAsync(source, move: false);

        Assert.That(again, Is.EqualTo(hash));
        Assert.That(File.ReadAllText(store.LocalPath(hash)!), Is.EqualTo("hello"));
        Assert.That(await store.IsIntactAsync(hash), Is.True);
    }

    [Test]
    public async Task A_blob_touched_but_unchanged_is_kept_and_a_changed_one_is_evicted()
    {
        var store = new LocalArtifactStore(_ws.Workspace.StateDirectory);
        string hash = await store.PutBytesAsync("hello"u8.ToArray());
        string blob = store.LocalPath(hash)!;
        File.SetLastWriteTimeUtc(blob, DateTime.UtcNow);
        Assert.That(await store.IsIntactAsync(hash), Is.True);
        Assert.That(File.GetLastWriteTimeUtc(blob), Is.EqualTo(LocalArtifactStore.BlobTime), "re-sealed after the re-hash");

        Overwrite(blob);
        Assert.That(await store.IsIntactAsync(hash), Is.False);
        Assert.That(File.Exists(blob), Is.False, "evicted");
    }

    [Test]
    public async Task Two_pipelines_sharing_stage_ids_keep_their_outputs_apart()
    {
        string other = Yaml.Diamond.Replace("name: diamond", "name: other").Replace("text: hello", "text: bye");
        await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        byte[] diamond = await File.ReadAllBytesAsync(Output);
        await _ws.RunAsync(_ws.Load(other, name: "other.yaml"));

        string otherOutput = Path.Combine(_ws.Root, ".pipelines/out/other/b/table.parquet");
        Assert.That(await File.ReadAllBytesAsync(Output), Is.EqualTo(diamond), "the second pipeline did not overwrite the first");
        Assert.That(await File.ReadAllBytesAsync(otherOutput), Is.Not.EqualTo(diamond));
        var status = await _ws.Runner.StatusAsync(_ws.Load(Yaml.Diamond));
        Assert.That(status.Select(s => s.WillRun), Is.All.False);
    }

    private static (long, DateTime) FileIdentityOf(string path)
    {
        var info = new FileInfo(path);
        return (info.Length, info.LastWriteTimeUtc);
    }
}
