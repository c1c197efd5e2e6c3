using System.Diagnostics;
using NUnit.Framework;
using Pipelines.Core.Hashing;
using Pipelines.Core.Remotes;

namespace Pipelines.Core.Tests.Remotes;

/// <summary>What only the directory remote can show: an upload stalled midway (its source a FIFO) sits in tmp/, never under its name.</summary>
[Platform(Exclude = "Win")]
public class DirectoryRemoteTests
{
    private string _scratch = null!;
    private string _directory = null!;
    private DirectoryRemote _remote = null!;

    [SetUp]
    public void SetUp()
    {
        _scratch = Path.Combine(Path.GetTempPath(), "pipelines-remote-dir", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_scratch);
        _directory = Path.Combine(_scratch, "remote");
        _remote = new DirectoryRemote(_directory);
    }

    [TearDown]
    public void TearDown()
    {
        try { Directory.Delete(_scratch, true); } catch (IOException) { }
    }

    [Test]
    public async Task A_directory_upload_stalled_midway_shows_nothing_under_the_final_name()
    {
        string fifo = Path.Combine(_scratch, "fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        string hash = ContentHasher.HashText("whole");
        var upload = Task.Run(() => _remote.UploadBlobAsync(hash, fifo)); // opening a FIFO blocks until the writer opens it
        await using (var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write))
        {
            await writer.WriteAsync("who"u8.ToArray());
            await writer.FlushAsync();
            await Task.Delay(200); // the remote has the first bytes in its temp file now
            Assert.That(await _remote.HasBlobAsync(hash), Is.False);
            Assert.That(Directory.EnumerateFiles(Path.Combine(_directory, "tmp")).Count(), Is.EqualTo(1), "the partial copy is in tmp/");
            await writer.WriteAsync("le"u8.ToArray());
        }
        await upload;
        Assert.That(File.ReadAllText(Path.Combine(_directory, "blobs", hash[..2], hash[2..])), Is.EqualTo("whole"));
        Assert.That(Directory.EnumerateFiles(Path.Combine(_directory, "tmp")), Is.Empty);
    }
}
