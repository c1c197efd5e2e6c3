using Pipelines.Stages.Bias;

namespace Pipelines.Stages.Tests.Bias;

/// <summary>
/// Fairlearn's definitions checked against counts done on paper, on a hand-built COMPAS-like table (ProPublica's
/// analysis: label two_year_recid, prediction "decile_score ≥ 5", compared with Caucasian defendants).
/// </summary>
public class BiasFairlearnDefinitionTests
{
    // African-American (10 rows): TP 5, FN 1, FP 2, TN 2 → base rate 6/10, selection 7/10, TPR 5/6, FNR 1/6, FPR 2/4, TNR 2/4.
    // Caucasian (8 rows):         TP 2, FN 1, FP 1, TN 4 → base rate 3/8, selection 3/8,  TPR 2/3, FNR 1/3, FPR 1/5, TNR 4/5.
    // Other (3 rows):             TP 0, FN 1, FP 0, TN 2 → base rate 1/3, selection 0,    TPR 0,   FPR 0.
    private static (string?[] Race, string?[] Label, string?[] Prediction) Table(int copies)
    {
        var race = new List<string?>();
        var label = new List<string?>();
        var prediction = new List<string?>();
        void Add(string r, int tp, int fn, int fp, int tn)
        {
            foreach (var (y, score, count) in new[] { ("1", 8, tp), ("1", 2, fn), ("0", 6, fp), ("0", 3, tn) })
            {
                for (int i = 0; i < count; i++)
                {
                    race.Add(r);
                    label.Add(y);
                    prediction.Add(score >= 5 ? "1" : "0"); // ProPublica's medium/high risk threshold
                }
            }
        }

        for (int c = 0; c < copies; c++)
        {
            Add("African-American", 5, 1, 2, 2);
            Add("Caucasian", 2, 1, 1, 4);
            Add("Other", 0, 1, 0, 2);
        }

        return (race.ToArray(), label.ToArray(), prediction.ToArray());
    }

    private static BiasAnalysis Analyze(int copies = 1, int bootstrap = 0, int minGroupSize = 0, string? reference = null, int threads = -1, long seed = 7)
    {
        var (race, label, prediction) = Table(copies);
        return BiasAnalyzer.Analyze(
            new BiasData { Labels = label, Predictions = prediction, Attributes = [new SensitiveAttribute("race", race)] },
            new BiasSettings
            {
                Bootstrap = bootstrap, MinGroupSize = minGroupSize, Seed = seed, MaxDegreeOfParallelism = threads,
                ReferenceGroup = reference is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["race"] = reference },
            });
    }

    [Test]
    public void Group_rates_match_the_hand_counts()
    {
        var a = Analyze();
        Assert.That(a.Get("race", "African-American", "base_rate"), Is.EqualTo(0.6).Within(1e-12));
        Assert.That(a.Get("race", "African-American", "selection_rate"), Is.EqualTo(0.7).Within(1e-12));
        Assert.That(a.Get("race", "African-American", "true_positive_rate"), Is.EqualTo(5.0 / 6).Within(1e-12));
        Assert.That(a.Get("race", "African-American", "false_negative_rate"), Is.EqualTo(1.0 / 6).Within(1e-12));
        Assert.That(a.Get("race", "African-American", "false_positive_rate"), Is.EqualTo(0.5).Within(1e-12));
        Assert.That(a.Get("race", "African-American", "true_negative_rate"), Is.EqualTo(0.5).Within(1e-12));
        Assert.That(a.Get("race", "Caucasian", "selection_rate"), Is.EqualTo(0.375).Within(1e-12));
        Assert.That(a.Get("race", "Caucasian", "false_positive_rate"), Is.EqualTo(0.2).Within(1e-12));
        Assert.That(a.Get("race", "Caucasian", "true_negative_rate"), Is.EqualTo(0.8).Within(1e-12));
        Assert.That(a.Get("race", "Other", "selection_rate"), Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void Between_group_figures_are_max_minus_min_and_min_over_max_over_all_groups()
    {
        var a = Analyze();
        // Selection 0.7, 0.375, 0; TPR 5/6, 2/3, 0; FPR 0.5, 0.2, 0.
        Assert.That(a.Get("race", "*", "demographic_parity_difference"), Is.EqualTo(0.7).Within(1e-12));
        Assert.That(a.Get("race", "*", "demographic_parity_ratio"), Is.EqualTo(0).Within(1e-12));
        Assert.That(a.Get("race", "*", "equalized_odds_difference"), Is.EqualTo(5.0 / 6).Within(1e-12));
        Assert.That(a.Get("race", "*", "equalized_odds_ratio"), Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void Min_group_size_leaves_small_groups_out_of_between_group_figures_with_a_note()
    {
        var a = Analyze(minGroupSize: 5);
        Assert.That(a.Get("race", "Other", "selection_rate"), Is.EqualTo(0).Within(1e-12), "still reported per group");
        Assert.That(a.Get("race", "*", "demographic_parity_difference"), Is.EqualTo(0.325).Within(1e-12));
        Assert.That(a.Get("race", "*", "demographic_parity_ratio"), Is.EqualTo(0.375 / 0.7).Within(1e-12));
        // TPR diff 5/6 − 2/3 = 1/6, ratio 0.8; FPR diff 0.3, ratio 0.4 → EOD 0.3, EOR 0.4.
        Assert.That(a.Get("race", "*", "equalized_odds_difference"), Is.EqualTo(0.3).Within(1e-12));
        Assert.That(a.Get("race", "*", "equalized_odds_ratio"), Is.EqualTo(0.4).Within(1e-12));
        Assert.That(a.Notes, Has.Some.Contains("Other (n=3) below min_group_size 5"));
    }

    [Test]
    public void A_reference_group_compares_every_group_with_it()
    {
        var a = Analyze(minGroupSize: 5, reference: "Caucasian");
        Assert.That(a.Get("race", "African-American", "demographic_parity_difference"), Is.EqualTo(0.325).Within(1e-12));
        Assert.That(a.Get("race", "African-American", "disparate_impact"), Is.EqualTo(0.7 / 0.375).Within(1e-12));
        Assert.That(a.Get("race", "African-American", "equal_opportunity_difference"), Is.EqualTo(1.0 / 6).Within(1e-12));
        Assert.That(a.Get("race", "African-American", "equalized_odds_difference"), Is.EqualTo(0.3).Within(1e-12));
        Assert.That(a.Get("race", "African-American", "equalized_odds_ratio"), Is.EqualTo(1.25).Within(1e-12)); // min(TPR 1.25, FPR 2.5)
        Assert.That(a.Get("race", "Other", "demographic_parity_difference"), Is.Null);
    }

    [Test]
    public void Bootstrap_intervals_are_identical_at_any_thread_count_and_for_the_same_seed()
    {
        var one = Analyze(copies: 5, bootstrap: 200, threads: 1);
        var four = Analyze(copies: 5, bootstrap: 200, threads: 4);
        Assert.That(four.Metrics, Is.EqualTo(one.Metrics));
        Assert.That(Analyze(copies: 5, bootstrap: 200, seed: 8).Metrics, Is.Not.EqualTo(one.Metrics));
    }

    [Test]
    public void Intervals_contain_the_point_and_shrink_with_more_rows()
    {
        var small = Analyze(copies: 5, bootstrap: 300, minGroupSize: 5);
        var large = Analyze(copies: 50, bootstrap: 300, minGroupSize: 5);
        foreach (var m in large.Metrics.Where(m => m.Low is not null))
        {
            Assert.That(m.Value, Is.InRange(m.Low!.Value, m.High!.Value), m.ToString());
        }

        double Width(BiasAnalysis a, string group, string metric) => a.Find("race", group, metric)!.High!.Value - a.Find("race", group, metric)!.Low!.Value;
        Assert.That(Width(large, "African-American", "selection_rate"), Is.LessThan(Width(small, "African-American", "selection_rate")));
        Assert.That(Width(large, "*", "demographic_parity_difference"), Is.LessThan(Width(small, "*", "demographic_parity_difference")));
    }

    [Test]
    public void A_threshold_is_broken_only_when_the_whole_interval_is_beyond_it()
    {
        var thresholds = new BiasThresholds { DisparateImpactMin = 0.8 };
        BiasAnalysis Run(int copies)
        {
            var (race, label, prediction) = Table(copies);
            return BiasAnalyzer.Analyze(
                new BiasData { Labels = label, Predictions = prediction, Attributes = [new SensitiveAttribute("race", race)] },
                new BiasSettings { Bootstrap = 300, MinGroupSize = 5, Seed = 1, Thresholds = thresholds });
        }

        // DI = 0.375 / 0.7 ≈ 0.536 in both; 1 copy: the interval straddles 0.8; 50 copies: it lies below.
        Assert.That(Run(1).Violations.Single().Verdict, Is.EqualTo(BiasVerdict.Inconclusive));
        Assert.That(Run(50).Violations.Single().Verdict, Is.EqualTo(BiasVerdict.Broken));
    }
}
