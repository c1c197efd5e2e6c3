using System.Collections.Concurrent;
using System.Diagnostics;
using NUnit.Framework;
using Pipelines.Core.Caching;
using Pipelines.Core.Running;
using Pipelines.Core.Slurm;

namespace Pipelines.Cluster.Tests.Slurm;

/// <summary>What happens to a stage's job between submission and answer: failure, cancellation, a dead node, a stale answer, a restarted driver.</summary>
[NonParallelizable]
public sealed class SlurmJobLifecycleTests
{
    private RunResult _reference = null!;
    private string _slowFingerprint = "";

    [OneTimeSetUp]
    public async Task RunTheSlowPipelineLocally()
    {
        using var local = new ClusterWorkspace(ClusterWorkspace.OneSlowStage);
        _reference = await local.RunLocalAsync();
        Assert.That(_reference.Status, Is.EqualTo("succeeded"));
        _slowFingerprint = _reference.Stages.Single(s => s.Id == "slow").Fingerprint!;
    }

    [Test]
    public async Task A_failed_job_fails_its_stage_with_the_tail_of_the_jobs_stderr()
    {
        using var ws = new ClusterWorkspace(ClusterWorkspace.FailingStage);
        var result = await ws.RunSlurmAsync();
        var bad = result.Stages.Single();
        Assert.That(bad.Status, Is.EqualTo(StageStatus.Failed));
        Assert.That(bad.Error, Does.Contain("ended FAILED"));
        Assert.That(bad.Error, Does.Contain("the end of its stderr"));
        Assert.That(bad.Error, Does.Contain("error: bad.csv:3: expected 2 fields but found 1."), "the worker's own message, from the job's stderr");
    }

    [Test]
    public async Task Cancelling_the_driver_scancels_its_running_job()
    {
        using var ws = new ClusterWorkspace(ClusterWorkspace.OneSlowStage);
        using var cancel = new CancellationTokenSource();
        var run = ws.RunSlurmAsync(cancel.Token);
        string id = WaitUntilRunning(ws, run);
        cancel.Cancel();
        var result = await run;
        Assert.That(result.Status, Is.EqualTo("cancelled"));
        LocalCluster.WaitFor(() => LocalCluster.Shell("squeue", "-h", "-j", id).Output.Trim().Length == 0, "the job to leave squeue", 20);
        Assert.That(LocalCluster.JobField(id, "JobState"), Is.EqualTo("CANCELLED"));
    }

    [Test]
    public async Task A_job_whose_node_goes_down_is_requeued_and_completes_on_the_other_node_with_the_same_hashes()
    {
        using var ws = new ClusterWorkspace(ClusterWorkspace.OneSlowStage);
        var run = ws.RunSlurmAsync();
        string id = WaitUntilRunning(ws, run);
        string node = LocalCluster.JobField(id, "BatchHost")!;
        try
        {
            var (exit, output) = LocalCluster.Shell("scontrol", "update", $"NodeName={node}", "State=DOWN", "Reason=test");
            Assert.That(exit, Is.Zero, output);
            var result = await run;
            Assert.That(result.Status, Is.EqualTo("succeeded"), string.Join("\n", result.Stages.Select(s => $"{s.Id}: {s.Error}")));
            Assert.That(result.Stages.Single(s => s.Id == "slow").Outputs, Is.EqualTo(_reference.Stages.Single(s => s.Id == "slow").Outputs));
            var answer = SlurmAnswer.TryRead(ws.JobFiles(_slowFingerprint).Answer)!;
            Assert.That(answer.Attempt, Is.EqualTo(1), "the answer is the requeued attempt's");
            Assert.That(answer.Node, Is.Not.EqualTo(node));
            Assert.That(ws.Submissions, Has.Count.EqualTo(2), "rows and slow, each submitted once: the requeue is Slurm's");
        }
        finally
        {
            LocalCluster.Shell("scontrol", "update", $"NodeName={node}", "State=RESUME");
        }
    }

    [Test]
    public async Task An_answer_from_an_earlier_attempt_is_ignored()
    {
        using var ws = new ClusterWorkspace(ClusterWorkspace.OneSlowStage);
        var logged = new ConcurrentQueue<string>();
        var run = ws.RunSlurmAsync(observer: new LogCollector(logged));
        string id = WaitUntilRunning(ws, run);
        var (exit, output) = LocalCluster.Shell("scontrol", "requeue", id);
        Assert.That(exit, Is.Zero, output);
        LocalCluster.WaitFor(() => LocalCluster.JobField(id, "Restarts") == "1", "the requeue");
        // What a dead attempt 0 answering late would leave: its job id, its attempt number and outputs that are not the real ones.
        new SlurmAnswer
        {
            JobId = id, Attempt = 0, Node = "node9",
            Outputs = new Dictionary<string, OutputRecord> { ["table"] = new() { Hash = "00000000000000000000000000000000", Kind = Core.ArtifactKind.Table, Extension = ".parquet" } },
        }.WriteTo(ws.JobFiles(_slowFingerprint).Answer);

        var result = await run;
        Assert.That(result.Status, Is.EqualTo("succeeded"), string.Join("\n", result.Stages.Select(s => $"{s.Id}: {s.Error}")));
        Assert.That(result.Stages.Single(s => s.Id == "slow").Outputs, Is.EqualTo(_reference.Stages.Single(s => s.Id == "slow").Outputs));
        Assert.That(logged, Has.Some.Contains("ignoring the answer of attempt 0"));
    }

    [Test]
    public async Task A_restarted_driver_adopts_the_running_job_instead_of_submitting_it_again()
    {
        using var ws = new ClusterWorkspace(ClusterWorkspace.OneSlowStage);
        using var driver = StartCliDriver(ws);
        string id = "";
        try
        {
            LocalCluster.WaitFor(() => ws.JobIdOf(_slowFingerprint) is { } j && LocalCluster.JobField(id = j, "JobState") == "RUNNING", "the first driver's job to run");
        }
        finally
        {
            driver.Kill(entireProcessTree: true); // a driver that dies: no scancel
            driver.WaitForExit();
        }
        Assert.That(LocalCluster.JobField(id, "JobState"), Is.EqualTo("RUNNING"), "killing the driver leaves its job running");

        var result = await ws.RunSlurmAsync();
        Assert.That(result.Status, Is.EqualTo("succeeded"), string.Join("\n", result.Stages.Select(s => $"{s.Id}: {s.Error}")));
        Assert.That(result.Stages.Single(s => s.Id == "slow").Outputs, Is.EqualTo(_reference.Stages.Single(s => s.Id == "slow").Outputs));
        Assert.That(ws.Submissions.Count(l => l.Contains(_slowFingerprint, StringComparison.Ordinal)), Is.EqualTo(1), "slow was submitted once, by the first driver");
        Assert.That(SlurmAnswer.TryRead(ws.JobFiles(_slowFingerprint).Answer)!.JobId, Is.EqualTo(id));
    }

    [Test]
    public void Ctrl_C_on_the_cli_driver_scancels_its_job_and_exits_130()
    {
        using var ws = new ClusterWorkspace(ClusterWorkspace.OneSlowStage);
        using var driver = StartCliDriver(ws);
        string id = "";
        try
        {
            // Interrupt as soon as the job is submitted (pending or running): waiting until it runs left too little of
            // the stage on a quiet machine, and the run could finish before the signal arrived.
            LocalCluster.WaitFor(() => ws.JobIdOf(_slowFingerprint) is { } j && LocalCluster.JobField(id = j, "JobState") is "PENDING" or "RUNNING", "the driver's job to be queued");
            LocalCluster.Shell("kill", "-INT", driver.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(driver.WaitForExit(TimeSpan.FromSeconds(20)), Is.True, "the driver did not stop on SIGINT");
        }
        finally
        {
            if (!driver.HasExited) driver.Kill(entireProcessTree: true);
        }
        Assert.That(driver.ExitCode, Is.EqualTo(130));
        LocalCluster.WaitFor(() => LocalCluster.Shell("squeue", "-h", "-j", id).Output.Trim().Length == 0, "the job to leave squeue", 20);
        Assert.That(LocalCluster.JobField(id, "JobState"), Is.EqualTo("CANCELLED"));
    }

    /// <summary>Starts <c>pipelines run --executor slurm</c> on the workspace as a separate process, as a user would.</summary>
    private static Process StartCliDriver(ClusterWorkspace ws)
    {
        // Through env --default-signal=INT: a test run started in the background (CI scripts often are) inherits SIGINT
        // ignored, and .NET keeps an ignored SIGINT ignored, so Ctrl+C would never reach the driver.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ws.Root,
        };
        foreach (var a in new[] { "--default-signal=INT", Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
                     Path.Combine(TestContext.CurrentContext.TestDirectory, "pipelines.dll"), "run", ws.PipelineFile, "--executor", "slurm", "--no-color", "--workspace", ws.Root })
            info.ArgumentList.Add(a);
        var driver = Process.Start(info)!;
        _ = driver.StandardOutput.ReadToEndAsync();
        _ = driver.StandardError.ReadToEndAsync();
        return driver;
    }

    /// <summary>The slow stage's job id once Slurm runs it (the run must not have ended first).</summary>
    private string WaitUntilRunning(ClusterWorkspace ws, Task<RunResult> run)
    {
        string id = "";
        LocalCluster.WaitFor(() =>
        {
            if (run.IsCompleted) Assert.Fail("the run ended before its slow job ran: " + string.Join("; ", run.Result.Stages.Select(s => $"{s.Id} {s.Status} {s.Error}")));
            return ws.JobIdOf(_slowFingerprint) is { } j && LocalCluster.JobField(id = j, "JobState") == "RUNNING";
        }, "the slow stage's job to run");
        return id;
    }

    private sealed class LogCollector(ConcurrentQueue<string> lines) : IRunObserver
    {
        public void OnEvent(RunEvent runEvent)
        {
            if (runEvent is StageLogged logged) lines.Enqueue(logged.Message);
        }
    }
}
