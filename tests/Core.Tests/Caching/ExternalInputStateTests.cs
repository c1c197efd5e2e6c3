using NUnit.Framework;
using Pipelines.Core.Caching;
using Pipelines.Core.Hashing;

namespace Pipelines.Core.Tests.Caching;

public class ExternalInputStateTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "pipelines-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task A_different_file_renamed_over_an_input_with_the_same_size_and_time_is_hashed_again()
    {
        Assume.That(OperatingSystem.IsLinux(), "inodes are read on Linux only");
        string input = Path.Combine(_root, "input.csv");
        var time = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        await File.WriteAllTextAsync(input, "a,b\n1,2\n");
        File.SetLastWriteTimeUtc(input, time);
        var state = ExternalInputState.Load(_root);
        string before = await state.HashAsync(input);
        await state.SaveAsync();

        // Same length, same modification time, other content, other inode: what a restore or `mv new old` leaves.
        string replacement = Path.Combine(_root, "replacement.csv");
        await File.WriteAllTextAsync(replacement, "a,b\n3,4\n");
        File.SetLastWriteTimeUtc(replacement, time);
        File.Move(replacement, input, overwrite: true);

        var reloaded = ExternalInputState.Load(_root);
        string after = await reloaded.HashAsync(input);
        Assert.That(reloaded.FilesHashed, Is.EqualTo(1));
        Assert.That(after, Is.Not.EqualTo(before));
        Assert.That(after, Is.EqualTo(await ContentHasher.HashFileAsync(input)));

        // And an untouched file is still answered from the state.
        await reloaded.SaveAsync();
        var third = ExternalInputState.Load(_root);
        Assert.That(await third.HashAsync(input), Is.EqualTo(after));
        Assert.That(third.FilesHashed, Is.Zero);
    }
}
