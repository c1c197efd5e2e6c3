namespace Pipelines.Tuning.Tests.Pruners;

public class SuccessiveHalvingPrunerTests
{
    private static bool ReportAndAsk(Study study, double value, int step)
    {
        var t = study.Ask();
        t.Report(value, step);
        bool prune = t.ShouldPrune();
        study.Tell(t, prune ? TrialState.Pruned : TrialState.Complete, value);
        return prune;
    }

    [Test]
    public void At_a_rung_only_the_top_fraction_is_promoted()
    {
        // min_resource 1, factor 2: rung 0 at step 1. Promotable index = n // 2 - 1 (at least 0) of the sorted values.
        var study = Study.Create("sh", sampler: new RandomSampler(0), pruner: new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2));
        Assert.That(ReportAndAsk(study, 1.0, 1), Is.False, "alone at the rung: promoted");
        Assert.That(ReportAndAsk(study, 2.0, 1), Is.True, "[1, 2]: only the best half (1) goes on");
        Assert.That(ReportAndAsk(study, 0.5, 1), Is.False, "[0.5, 1, 2]: 0.5 is the best");
        Assert.That(ReportAndAsk(study, 1.5, 1), Is.True, "[0.5, 1, 1.5, 2]: index 1 -> 1.0 is the bar");
        Assert.That(ReportAndAsk(study, 1.0, 1), Is.False, "[0.5, 1, 1, 1.5, 2]: 1.0 meets the bar");
    }

    [Test]
    public void Before_the_first_rung_nothing_is_pruned()
    {
        var study = Study.Create("sh", sampler: new RandomSampler(0), pruner: new SuccessiveHalvingPruner(minResource: 4, reductionFactor: 2));
        ReportAndAsk(study, 1.0, 4);
        Assert.That(ReportAndAsk(study, 9.0, 3), Is.False);
        Assert.That(ReportAndAsk(study, 9.0, 4), Is.True);
    }

    [Test]
    public void A_promoted_trial_is_checked_again_at_the_next_rung()
    {
        var study = Study.Create("sh", sampler: new RandomSampler(0), pruner: new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2));
        // Two finished trials that reached rung 1 (step 2) with values 1 and 2.
        foreach (double v in new[] { 1.0, 2.0 })
        {
            var done = study.Ask();
            done.Report(0, 1);
            done.ShouldPrune();
            done.Report(v, 2);
            done.ShouldPrune();
            study.Tell(done, v);
        }

        var t = study.Ask();
        t.Report(0, 1);
        Assert.That(t.ShouldPrune(), Is.False, "rung 0: value 0 is the best");
        t.Report(3, 2);
        Assert.That(t.ShouldPrune(), Is.True, "rung 1: [1, 2, 3] -> only 1 goes on");
    }

    [Test]
    public void With_a_bootstrap_count_a_rung_prunes_until_enough_trials_reached_it()
    {
        var study = Study.Create("sh", sampler: new RandomSampler(0), pruner: new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2, bootstrapCount: 2));
        Assert.That(ReportAndAsk(study, 1.0, 1), Is.True);
        Assert.That(ReportAndAsk(study, 1.0, 1), Is.True);
        Assert.That(ReportAndAsk(study, 0.1, 1), Is.False);
    }

    [Test]
    public void Hyperband_brackets_follow_the_resource_range()
    {
        var hb = new HyperbandPruner(maxResource: 27, minResource: 1, reductionFactor: 3);
        Assert.That(hb.BracketCount, Is.EqualTo(4));

        // Budgets ceil(4·3^s/(s+1)) for s = 3..0: 27, 12, 6, 4 -> bracket 0 is the most common.
        var study = Study.Create("hb", pruner: hb);
        var counts = new int[4];
        for (int n = 0; n < 4900; n++)
        {
            counts[hb.BracketOf(study, n)]++;
        }

        Assert.That(counts[0], Is.GreaterThan(counts[1]));
        Assert.That(counts[1], Is.GreaterThan(counts[3]));
        Assert.That(counts.Min(), Is.GreaterThan(0));
    }

    [Test]
    public void A_hyperband_trial_competes_only_with_trials_of_its_bracket()
    {
        var hb = new HyperbandPruner(maxResource: 27, minResource: 1, reductionFactor: 3);
        var study = Study.Create("hb", sampler: new RandomSampler(0), pruner: hb);

        // Fill bracket 0's first rung (step 1) with good values from other trials.
        int goodInBracket0 = 0;
        while (goodInBracket0 < 3)
        {
            var t = study.Ask();
            if (hb.BracketOf(study, t.Number) == 0)
            {
                t.Report(0.0, 1);
                Assert.That(t.ShouldPrune(), Is.False);
                goodInBracket0++;
            }

            study.Tell(t, 0.0);
        }

        // The first trial of bracket 1 has its first rung at step 3 and nobody to compete with there.
        while (true)
        {
            var t = study.Ask();
            if (hb.BracketOf(study, t.Number) == 1)
            {
                t.Report(5.0, 3);
                Assert.That(t.ShouldPrune(), Is.False);
                break;
            }

            study.Tell(t, 0.0);
        }

        // A bad trial in bracket 0 is pruned by its bracket's rung.
        while (true)
        {
            var t = study.Ask();
            if (hb.BracketOf(study, t.Number) == 0)
            {
                t.Report(5.0, 1);
                Assert.That(t.ShouldPrune(), Is.True);
                break;
            }

            study.Tell(t, 0.0);
        }
    }
}
