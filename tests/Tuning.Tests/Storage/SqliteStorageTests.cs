using System.Diagnostics;

namespace Pipelines.Tuning.Tests.Storage;

/// <summary>SQLite-only behaviour: several processes on one study file, and recovery after a killed worker.</summary>
public class SqliteStorageTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "tuning-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static Process StartWorker(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }

    [Test]
    public async Task Two_processes_and_two_threads_on_one_study_lose_and_duplicate_no_trial_numbers()
    {
        string db = Path.Combine(_dir, "shared.db");
        using var storage = new SqliteStorage(db);
        Study.Create("shared", storage, new RandomSampler(0));

        var workers = new[] { StartWorker("worker", db, "shared", "40"), StartWorker("worker", db, "shared", "40") };
        var local = Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
        {
            using var own = new SqliteStorage(db);
            var study = Study.Load("shared", own, new RandomSampler(100 + i));
            await study.OptimizeAsync(t => t.SuggestFloat("x", 0, 1), nTrials: 40);
        })).ToArray();

        await Task.WhenAll(local);
        foreach (var w in workers)
        {
            await w.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(w.ExitCode, Is.EqualTo(0), await w.StandardError.ReadToEndAsync());
        }

        var trials = Study.Load("shared", storage).Trials;
        Assert.That(trials.Select(t => t.Number), Is.EqualTo(Enumerable.Range(0, 160)));
        Assert.That(trials.All(t => t.State == TrialState.Complete && t.Params.ContainsKey("x")), Is.True);
    }

    [Test]
    public async Task The_trial_of_a_killed_worker_is_failed_when_the_study_is_loaded_after_the_grace_period()
    {
        string db = Path.Combine(_dir, "killed.db");
        using var storage = new SqliteStorage(db);
        Study.Create("killed", storage, new RandomSampler(0));

        using var worker = StartWorker("hang", db, "killed");
        string? line = await worker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(line, Is.EqualTo("running"));
        worker.Kill(entireProcessTree: true);
        await worker.WaitForExitAsync();

        var options = new StudyOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(100), GracePeriod = TimeSpan.FromMilliseconds(400) };
        Assert.That(Study.Load("killed", storage).Trials[0].State, Is.EqualTo(TrialState.Running), "without heartbeat options nothing is failed");
        await Task.Delay(600);

        var resumed = Study.Load("killed", storage, new RandomSampler(0), options: options);
        var dead = resumed.Trials[0];
        Assert.That(dead.State, Is.EqualTo(TrialState.Fail));
        Assert.That(dead.FailReason, Does.Contain("heartbeats"));

        await resumed.OptimizeAsync(t => t.SuggestFloat("x", 0, 1), nTrials: 2);
        Assert.That(resumed.Trials.Select(t => t.State), Is.EqualTo(new[] { TrialState.Fail, TrialState.Complete, TrialState.Complete }));
    }
}
