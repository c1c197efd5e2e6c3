namespace Pipelines.Tuning.Tests;

/// <summary>
/// <see cref="Study.OptimizeInBatchesAsync"/>: trials in flight at once must not make a seeded search depend on
/// which of them finishes first.
/// </summary>
public class BatchedOptimizationTests
{
    private static double Objective(Trial t) => Math.Pow(t.Params["x"] is double x ? x - 0.3 : 0, 2) + Math.Abs((long)t.Params["n"]! - 3);

    private static void Suggest(Trial t)
    {
        t.SuggestFloat("x", -1, 1);
        t.SuggestInt("n", 0, 8);
    }

    private static async Task<List<(int Number, double X, long N, double? Value)>> RunAsync(int batchSize, Func<int, int> delayMs)
    {
        var sampler = new TpeSampler(7, new TpeSamplerOptions { NStartupTrials = 3, ConstantLiar = true });
        var study = Study.Create("batched", new InMemoryStorage(), sampler);
        await study.OptimizeInBatchesAsync(
            async (trial, ct) =>
            {
                await Task.Delay(delayMs(trial.Number), ct);
                return Objective(trial);
            },
            Suggest, nTrials: 12, batchSize: batchSize);
        return study.Trials.Select(t => (t.Number, (double)t.Params["x"]!, (long)t.Params["n"]!, t.Value)).ToList();
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public async Task The_same_seed_gives_the_same_trials_whichever_trial_of_a_batch_finishes_first(int batchSize)
    {
        // Opposite finishing orders inside every batch: first-asked finishes last, then first.
        var lastFirst = await RunAsync(batchSize, n => 10 + (40 * (batchSize - 1 - (n % batchSize))));
        var firstFirst = await RunAsync(batchSize, n => 10 + (40 * (n % batchSize)));

        Assert.That(firstFirst, Is.EqualTo(lastFirst));
        Assert.That(lastFirst.Select(t => t.Number), Is.EqualTo(Enumerable.Range(0, 12)));
        Assert.That(lastFirst.All(t => t.Value is double), Is.True);
    }

    [Test]
    public async Task Batches_of_one_suggest_what_the_sequential_loop_suggests()
    {
        var batched = await RunAsync(1, _ => 0);

        var sampler = new TpeSampler(7, new TpeSamplerOptions { NStartupTrials = 3, ConstantLiar = true });
        var sequential = Study.Create("sequential", new InMemoryStorage(), sampler);
        await sequential.OptimizeAsync(t =>
        {
            Suggest(t);
            return Objective(t);
        }, nTrials: 12);

        Assert.That(batched, Is.EqualTo(sequential.Trials.Select(t => (t.Number, (double)t.Params["x"]!, (long)t.Params["n"]!, t.Value)).ToList()));
    }

    [Test]
    public async Task Batch_mates_are_suggested_apart_because_the_liar_counts_the_running_ones()
    {
        // Without the liar every member of a batch sees the same history; with it, later members see earlier ones
        // as running at the worst value, so TPE steers away from them. Checked on the stored history, not on values.
        var sampler = new TpeSampler(7, new TpeSamplerOptions { NStartupTrials = 2, ConstantLiar = true });
        var study = Study.Create("liar", new InMemoryStorage(), sampler);
        var seen = new List<int>();
        await study.OptimizeInBatchesAsync((t, _) => Task.FromResult(Objective(t)), t =>
        {
            seen.Add(study.Trials.Count(o => o.State == TrialState.Running && o.Number != t.Number));
            Suggest(t);
        }, nTrials: 6, batchSize: 3);

        // At each suggestion: the batch-mates asked before it are running, nothing else is.
        Assert.That(seen, Is.EqualTo(new[] { 0, 1, 2, 0, 1, 2 }));
    }

    [Test]
    public async Task A_pruner_judges_a_trial_only_against_earlier_batches()
    {
        var study = Study.Create("horizon", new InMemoryStorage(), new RandomSampler(3));
        await study.OptimizeInBatchesAsync((t, _) => Task.FromResult(Objective(t)), Suggest, nTrials: 7, batchSize: 3);

        var trials = study.Trials;
        // Batches: {0,1,2} {3,4,5} {6}.
        Assert.That(study.PruningHistory(trials[1]).Select(t => t.Number), Is.EqualTo(new[] { 1 }));
        Assert.That(study.PruningHistory(trials[4]).Select(t => t.Number), Is.EqualTo(new[] { 0, 1, 2, 4 }));
        Assert.That(study.PruningHistory(trials[6]).Select(t => t.Number), Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5, 6 }));
    }

    [Test]
    public async Task A_median_pruner_in_a_batch_ignores_a_batch_mate_that_finished_first()
    {
        // Batch 0 = trials 0 and 1 with final intermediate values 10 and 20 (median 15). In batch 1, trial 3 finishes
        // at once with 1; trial 2 then reports 12. Against batch 0 alone 12 beats the median 15: not pruned. Had trial
        // 3 counted, the median of {10, 20, 1} = 10 would prune it — and that would depend on timing.
        var study = Study.Create("median", new InMemoryStorage(), new RandomSampler(3), new MedianPruner(nStartupTrials: 2, nMinTrials: 1));
        var pruned = new Dictionary<int, bool>();
        var values = new[] { 10.0, 20.0, 12.0, 1.0 };
        var trial3Done = new TaskCompletionSource();
        await study.OptimizeInBatchesAsync(async (t, ct) =>
        {
            if (t.Number == 2) await trial3Done.Task.WaitAsync(ct);
            t.Report(values[t.Number], 0);
            lock (pruned) pruned[t.Number] = t.ShouldPrune();
            if (t.Number == 3) trial3Done.SetResult();
            return values[t.Number];
        }, Suggest, nTrials: 4, batchSize: 2);

        Assert.That(pruned[2], Is.False);
        Assert.That(study.Trials.Select(t => t.State), Is.All.EqualTo(TrialState.Complete));
    }
}
