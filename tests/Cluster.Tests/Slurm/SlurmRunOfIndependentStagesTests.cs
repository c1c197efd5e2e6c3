using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core.Running;
using Pipelines.Core.Slurm;

namespace Pipelines.Cluster.Tests.Slurm;

/// <summary>
/// One pipeline (an ingest and two independent dedups) run locally, then twice with the Slurm executor: the runs are
/// shared by the tests, each of which checks one promise.
/// </summary>
[NonParallelizable]
public sealed class SlurmRunOfIndependentStagesTests
{
    private ClusterWorkspace _local = null!;
    private ClusterWorkspace _slurm = null!;
    private RunResult _localRun = null!;
    private RunResult _slurmRun = null!;
    private RunResult _secondSlurmRun = null!;
    private RunResult _forcedSlurmRun = null!;
    private int _submittedByFirstRun;
    private int _submittedBySecondRun;
    private SlurmAnswer _left = null!;
    private SlurmAnswer _right = null!;

    [OneTimeSetUp]
    public async Task RunLocallyAndOnTheCluster()
    {
        _local = new ClusterWorkspace(ClusterWorkspace.TwoBranches);
        _slurm = new ClusterWorkspace(ClusterWorkspace.TwoBranches);
        _localRun = await _local.RunLocalAsync();
        _slurmRun = await _slurm.RunSlurmAsync();
        _submittedByFirstRun = _slurm.Submissions.Count;
        (_left, _right) = (Answer("left"), Answer("right")); // before the forced run below answers for right again
        _secondSlurmRun = await _slurm.RunSlurmAsync();
        _submittedBySecondRun = _slurm.Submissions.Count;
        _forcedSlurmRun = await _slurm.RunSlurmAsync(options: new RunOptions { Jobs = 2, ForceStages = ["right"] });
    }

    [OneTimeTearDown]
    public void Clean()
    {
        _local?.Dispose();
        _slurm?.Dispose();
    }

    [Test]
    public void A_slurm_run_writes_the_same_lock_and_output_hashes_as_a_local_run()
    {
        Assert.That(_localRun.Status, Is.EqualTo("succeeded"));
        Assert.That(_slurmRun.Status, Is.EqualTo("succeeded"), string.Join("\n", _slurmRun.Stages.Select(s => $"{s.Id}: {s.Error}")));
        Assert.That(_slurm.LockText, Is.EqualTo(_local.LockText), "pipelines.lock differs");
        foreach (var stage in _localRun.Stages)
            Assert.That(_slurmRun.Stages.Single(s => s.Id == stage.Id).Outputs, Is.EqualTo(stage.Outputs), stage.Id);
    }

    [Test]
    public void Every_stale_stage_is_one_batch_job()
    {
        Assert.That(_slurmRun.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Ran));
        Assert.That(_submittedByFirstRun, Is.EqualTo(3));
    }

    [Test]
    public void Independent_stages_run_on_two_nodes_at_the_same_time()
    {
        var (left, right) = (_left, _right);
        Assert.That(new[] { left.Node, right.Node }, Is.EquivalentTo(new[] { "node1", "node2" }));
        // Each interval is the stage computing on its node; they overlap when each starts before the other ends.
        Assert.That(left.Started, Is.LessThan(right.Finished), "left started after right finished");
        Assert.That(right.Started, Is.LessThan(left.Finished), "right started after left finished");
    }

    [Test]
    public void A_stages_resources_become_its_sbatch_options()
    {
        string job = File.ReadAllText(_slurm.JobFiles(Fingerprint("left")).JobId).Trim();
        Assert.That(LocalCluster.JobField(job, "TimeLimit"), Is.EqualTo("00:10:00"));
        Assert.That(LocalCluster.JobField(job, "MinMemoryNode"), Is.EqualTo("500M"));
        Assert.That(LocalCluster.JobField(job, "CPUs/Task"), Is.EqualTo("1"));
    }

    [Test]
    public void A_second_run_submits_no_job_when_every_result_is_in_the_cache()
    {
        Assert.That(_secondSlurmRun.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Cached));
        Assert.That(_submittedBySecondRun, Is.EqualTo(_submittedByFirstRun));
    }

    [Test]
    public void A_forced_stage_is_submitted_again_though_its_earlier_job_answered()
    {
        Assert.That(_forcedSlurmRun.Stages.Single(s => s.Id == "right").Status, Is.EqualTo(StageStatus.Ran));
        Assert.That(_slurm.Submissions, Has.Count.EqualTo(_submittedBySecondRun + 1));
        Assert.That(_slurm.Submissions[^1], Does.EndWith(" right"));
        Assert.That(_forcedSlurmRun.Stages.Single(s => s.Id == "right").Outputs, Is.EqualTo(_localRun.Stages.Single(s => s.Id == "right").Outputs));
    }

    private string Fingerprint(string stage) => _slurmRun.Stages.Single(s => s.Id == stage).Fingerprint!;

    private SlurmAnswer Answer(string stage) =>
        SlurmAnswer.TryRead(_slurm.JobFiles(Fingerprint(stage)).Answer) ?? throw new AssertionException($"no answer for {stage}");
}
