using NUnit.Framework;

namespace Pipelines.Eval.Tests;

public class ClassificationMetricsTests
{
    [Test]
    public void Metrics_match_a_hand_computed_three_class_example()
    {
        // Confusion matrix (actual x predicted): [[1,1,0],[1,2,0],[0,0,1]].
        var m = ClassificationMetrics.Compute([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 0, 2], ["a", "b", "c"]);
        Assert.That(m.ConfusionMatrix, Is.EqualTo(new[] { new[] { 1, 1, 0 }, new[] { 1, 2, 0 }, new[] { 0, 0, 1 } }));
        Assert.That(m.Accuracy, Is.EqualTo(4.0 / 6).Within(1e-12));
        Assert.That(m.PerClass[0].Precision, Is.EqualTo(0.5).Within(1e-12));
        Assert.That(m.PerClass[0].Recall, Is.EqualTo(0.5).Within(1e-12));
        Assert.That(m.PerClass[1].Precision, Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(m.PerClass[1].F1, Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(m.PerClass[2].F1, Is.EqualTo(1.0));
        Assert.That(m.PerClass.Select(c => c.Support), Is.EqualTo(new[] { 2, 3, 1 }));
        Assert.That(m.MacroF1, Is.EqualTo((0.5 + 2.0 / 3 + 1) / 3).Within(1e-12));
    }

    [Test]
    public void A_class_never_predicted_has_zero_precision_not_nan()
    {
        var m = ClassificationMetrics.Compute([0, 1, 1], [0, 0, 0], ["no", "yes"]);
        Assert.That(m.PerClass[1].Precision, Is.EqualTo(0));
        Assert.That(m.PerClass[1].Recall, Is.EqualTo(0));
        Assert.That(m.PerClass[0].Precision, Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(m.MacroF1, Is.EqualTo((0.5 + 0) / 2).Within(1e-12));
    }

    [Test]
    public void Different_lengths_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0, 1], [0], ["a", "b"]));
        Assert.That(e!.Message, Does.Contain("2 actual labels but 1 predictions"));
    }
}
