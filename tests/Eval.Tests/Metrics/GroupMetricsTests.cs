using NUnit.Framework;

namespace Pipelines.Eval.Tests;

public class GroupMetricsTests
{
    [Test]
    public void Group_rates_and_gaps_match_a_hand_computed_example()
    {
        // a: (1,1) (0,1) (1,0) -> accuracy 1/3, selection 2/3, TPR 1/2, FPR 1.
        // b: (1,1) (0,0) (0,1) -> accuracy 2/3, selection 2/3, TPR 1,   FPR 1/2.
        var g = GroupMetrics.Compute("sex", ["a", "a", "a", "b", "b", "b"], [1, 0, 1, 1, 0, 0], [1, 1, 0, 1, 0, 1], positive: 1, positiveLabel: "yes");
        Assert.That(g.Groups.Select(r => r.Group), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(g.Groups[0].Accuracy, Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(g.Groups[0].SelectionRate, Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(g.Groups[0].TruePositiveRate, Is.EqualTo(0.5));
        Assert.That(g.Groups[0].FalsePositiveRate, Is.EqualTo(1.0));
        Assert.That(g.Groups[1].TruePositiveRate, Is.EqualTo(1.0));
        Assert.That(g.Groups[1].FalsePositiveRate, Is.EqualTo(0.5));
        Assert.That(g.DemographicParityDifference, Is.EqualTo(0).Within(1e-12));
        Assert.That(g.EqualizedOddsDifference, Is.EqualTo(0.5).Within(1e-12));
    }

    [Test]
    public void A_group_without_positives_has_no_true_positive_rate_and_is_left_out_of_the_gap()
    {
        var g = GroupMetrics.Compute("race", ["x", "x", "y", null], [1, 0, 0, 1], [1, 0, 1, 0], 1, "yes");
        Assert.That(g.Groups.Select(r => r.Group), Is.EqualTo(new[] { "(missing)", "x", "y" }));
        var y = g.Groups.Single(r => r.Group == "y");
        Assert.That(y.TruePositiveRate, Is.Null);
        Assert.That(y.FalsePositiveRate, Is.EqualTo(1.0));
        // TPR: missing 0, x 1 -> gap 1; FPR: x 0, y 1 -> gap 1.
        Assert.That(g.EqualizedOddsDifference, Is.EqualTo(1.0));
    }
}
