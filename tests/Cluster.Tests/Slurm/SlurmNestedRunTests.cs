using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core.Slurm;

namespace Pipelines.Cluster.Tests.Slurm;

/// <summary>A coordinator stage (<c>tune</c>) on the cluster: it stays on the driver and its trials are the jobs.</summary>
[NonParallelizable]
public sealed class SlurmNestedRunTests
{
    [Test]
    public async Task A_searchs_trials_are_jobs_while_the_search_runs_on_the_driver_with_the_same_lock_as_locally()
    {
        // 40 spam and 40 ham emails from the shipped slice: enough for a stratified split and two short trials.
        var lines = File.ReadLines(Path.Combine(LocalCluster.RepoRoot, "pipelines/data/spam.jsonl")).ToArray();
        string Label(string line) => JsonNode.Parse(line)!["label"]!.GetValue<string>();
        string[] mails = [.. lines.Where(l => Label(l) == "spam").Take(40), .. lines.Where(l => Label(l) == "ham").Take(40)];
        using var local = new ClusterWorkspace(ClusterWorkspace.TinySearch);
        using var slurm = new ClusterWorkspace(ClusterWorkspace.TinySearch);
        local.AddFile("mails.jsonl", mails);
        slurm.AddFile("mails.jsonl", mails);

        var localRun = await local.RunLocalAsync();
        var slurmRun = await slurm.RunSlurmAsync();

        Assert.That(slurmRun.Status, Is.EqualTo("succeeded"), string.Join("\n", slurmRun.Stages.Select(s => $"{s.Id}: {s.Error}")));
        Assert.That(slurm.LockText, Is.EqualTo(local.LockText));
        var stages = slurm.Submissions.Select(l => l.Split(' ')[3]).ToArray();
        Assert.That(stages, Is.EquivalentTo(new[] { "ingest", "split", "pretrain", "tune-trial-0", "tune-trial-1" }));
    }

    [Test]
    public async Task With_n_jobs_two_the_trials_are_jobs_in_flight_on_both_nodes_and_the_lock_is_the_local_one()
    {
        var lines = File.ReadLines(Path.Combine(LocalCluster.RepoRoot, "pipelines/data/spam.jsonl")).ToArray();
        string Label(string line) => JsonNode.Parse(line)!["label"]!.GetValue<string>();
        string[] mails = [.. lines.Where(l => Label(l) == "spam").Take(40), .. lines.Where(l => Label(l) == "ham").Take(40)];
        string pipeline = ClusterWorkspace.TinySearch.Replace("n_trials: 2\n", "n_trials: 2\n      n_jobs: 2\n", StringComparison.Ordinal);
        Assert.That(pipeline, Does.Contain("n_jobs: 2"));
        using var local = new ClusterWorkspace(pipeline);
        using var slurm = new ClusterWorkspace(pipeline);
        local.AddFile("mails.jsonl", mails);
        slurm.AddFile("mails.jsonl", mails);

        var localRun = await local.RunLocalAsync();
        var slurmRun = await slurm.RunSlurmAsync();

        Assert.That(localRun.Status, Is.EqualTo("succeeded"));
        Assert.That(slurmRun.Status, Is.EqualTo("succeeded"), string.Join("\n", slurmRun.Stages.Select(s => $"{s.Id}: {s.Error}")));
        Assert.That(slurm.LockText, Is.EqualTo(local.LockText), "batches of two give the same trials whatever finishes first");
        var trials = slurm.Submissions.Select(l => l.Split(' ')).Where(p => p[3].StartsWith("tune-trial-", StringComparison.Ordinal))
            .Select(p => SlurmAnswer.TryRead(slurm.JobFiles(p[2]).Answer) ?? throw new AssertionException($"no answer for {p[3]}")).ToArray();
        Assert.That(trials, Has.Length.EqualTo(2));
        Assert.That(trials.Select(t => t.Node), Is.EquivalentTo(new[] { "node1", "node2" }));
        Assert.That(trials[0].Started, Is.LessThan(trials[1].Finished), "both trials in flight at once");
        Assert.That(trials[1].Started, Is.LessThan(trials[0].Finished), "both trials in flight at once");
    }
}
