namespace Pipelines.Tuning.Tests.Pruners;

public class PercentilePrunerTests
{
    /// <summary>A study with complete trials whose value at step 1 is each of <paramref name="atStepOne"/>.</summary>
    private static Study StudyWith(IPruner pruner, StudyDirection direction, params double[] atStepOne)
    {
        var study = Study.Create("p", sampler: new RandomSampler(0), pruner: pruner, direction: direction);
        foreach (double v in atStepOne)
        {
            var t = study.Ask();
            t.Report(v + 10, 0);
            t.Report(v, 1);
            study.Tell(t, v);
        }

        return study;
    }

    [TestCase(3.5, true)]
    [TestCase(2.5, false)]
    [TestCase(3.0, false)]
    public void The_median_pruner_prunes_a_trial_worse_than_the_median_at_the_same_step(double value, bool pruned)
    {
        // Complete trials at step 1: 1, 2, 3, 4, 5 -> median 3.
        var study = StudyWith(new MedianPruner(), StudyDirection.Minimize, 1, 2, 3, 4, 5);
        var t = study.Ask();
        t.Report(value, 1);
        Assert.That(t.ShouldPrune(), Is.EqualTo(pruned));
    }

    [Test]
    public void The_trial_is_judged_by_its_best_value_so_far()
    {
        var study = StudyWith(new MedianPruner(), StudyDirection.Minimize, 1, 2, 3, 4, 5);
        var t = study.Ask();
        t.Report(0.5, 0);
        t.Report(9, 1);
        Assert.That(t.ShouldPrune(), Is.False);
    }

    [Test]
    public void Nothing_is_pruned_before_the_startup_trials_complete()
    {
        var study = StudyWith(new MedianPruner(nStartupTrials: 5), StudyDirection.Minimize, 1, 2, 3, 4);
        var t = study.Ask();
        t.Report(100, 1);
        Assert.That(t.ShouldPrune(), Is.False);
    }

    [Test]
    public void Nothing_is_pruned_during_the_warmup_steps()
    {
        var study = StudyWith(new MedianPruner(nWarmupSteps: 2), StudyDirection.Minimize, 1, 2, 3, 4, 5);
        var t = study.Ask();
        t.Report(100, 1);
        Assert.That(t.ShouldPrune(), Is.False);
    }

    [Test]
    public void Only_the_first_step_of_each_interval_is_checked()
    {
        var pruner = new PercentilePruner(50, nStartupTrials: 1, intervalSteps: 2);
        var study = Study.Create("p", sampler: new RandomSampler(0), pruner: pruner);
        var done = study.Ask();
        for (int s = 0; s < 4; s++)
        {
            done.Report(1, s);
        }

        study.Tell(done, 1);
        var t = study.Ask();
        t.Report(5, 0);
        Assert.That(t.ShouldPrune(), Is.True, "step 0 starts an interval");
        t.Report(5, 1);
        Assert.That(t.ShouldPrune(), Is.False, "step 1 is inside the interval that started at 0");
        t.Report(5, 2);
        Assert.That(t.ShouldPrune(), Is.True, "step 2 starts the next interval");
    }

    [TestCase(2.5, true)]
    [TestCase(1.5, false)]
    public void The_25th_percentile_pruner_keeps_only_the_best_quarter_when_minimizing(double value, bool pruned)
    {
        // numpy.percentile([1, 2, 3, 4, 5], 25) = 2.
        var study = StudyWith(new PercentilePruner(25), StudyDirection.Minimize, 1, 2, 3, 4, 5);
        var t = study.Ask();
        t.Report(value, 1);
        Assert.That(t.ShouldPrune(), Is.EqualTo(pruned));
    }

    [TestCase(3.9, true)]
    [TestCase(4.1, false)]
    public void When_maximizing_the_percentile_is_mirrored(double value, bool pruned)
    {
        // Maximize with percentile 25 compares with numpy.percentile([1..5], 75) = 4.
        var study = StudyWith(new PercentilePruner(25), StudyDirection.Maximize, 1, 2, 3, 4, 5);
        var t = study.Ask();
        t.Report(value, 1);
        Assert.That(t.ShouldPrune(), Is.EqualTo(pruned));
    }

    [Test]
    public void A_nan_intermediate_value_is_pruned()
    {
        var study = StudyWith(new MedianPruner(), StudyDirection.Minimize, 1, 2, 3, 4, 5);
        var t = study.Ask();
        t.Report(double.NaN, 1);
        Assert.That(t.ShouldPrune(), Is.True);
    }

    [Test]
    public void A_percentile_outside_0_to_100_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new PercentilePruner(101));
        Assert.That(ex!.Message, Does.Contain("percentile must be between 0 and 100, but got 101"));
    }
}
