namespace Pipelines.Synthetic.Tests.Quality;

public class PrivacyEvaluatorTests
{
    [Test]
    public void Dcr_is_the_mean_gower_distance_to_the_closest_training_row()
    {
        var training = new ColumnTable([TableColumn.FromDoubles("x", [0, 10]), TableColumn.FromStrings("c", ["a", "b"])]);
        var synthetic = new ColumnTable([TableColumn.FromDoubles("x", [2]), TableColumn.FromStrings("c", ["b"])]);
        // To row 1: (0.2 + 1) / 2 = 0.6; to row 2: (0.8 + 0) / 2 = 0.4.
        var report = PrivacyEvaluator.Evaluate(training, synthetic, null, 1);
        Assert.That(report.SyntheticDcrMean, Is.EqualTo(0.4).Within(1e-12));
        Assert.That(report.ExactCopyShare, Is.Zero);
        Assert.That(report.DcrRatio, Is.Null);
    }

    [Test]
    public void Copies_of_training_rows_are_flagged_against_a_holdout()
    {
        var adult = AdultData.Load();
        var training = adult.Slice(0, 4000);
        var holdout = adult.Slice(4000, 1000);
        var copies = training.Slice(0, 500);
        var report = PrivacyEvaluator.Evaluate(training, copies, holdout, 1);
        Assert.That(report.ExactCopyShare, Is.EqualTo(1.0));
        Assert.That(report.SyntheticDcrMean, Is.Zero);
        Assert.That(report.HoldoutDcrMean, Is.GreaterThan(0.0));
        Assert.That(report.DcrRatio, Is.Zero);
        Assert.That(report.Warning, Does.Contain("closer to the training rows"));
    }

    [Test]
    public void Copula_samples_are_not_closer_to_training_rows_than_a_holdout_is()
    {
        var adult = AdultData.Load();
        var training = adult.Slice(0, 4000);
        var holdout = adult.Slice(4000, 1000);
        var synthesizer = new GaussianCopulaSynthesizer();
        synthesizer.Fit(training, 1);
        var report = PrivacyEvaluator.Evaluate(training, synthesizer.Sample(1000, 2), holdout, 1);
        TestContext.Out.WriteLine($"syn {report.SyntheticDcrMean} holdout {report.HoldoutDcrMean} ratio {report.DcrRatio} exact {report.ExactCopyShare} / {report.HoldoutExactCopyShare}");
        Assert.That(report.DcrRatio, Is.GreaterThan(1.0));
        Assert.That(report.Warning, Is.Null);
    }

    [Test]
    public void The_same_seed_checks_the_same_rows()
    {
        var adult = AdultData.Load();
        var a = PrivacyEvaluator.Evaluate(adult.Slice(0, 3000), adult.Slice(3000, 2000), null, 5, rowsChecked: 100);
        var b = PrivacyEvaluator.Evaluate(adult.Slice(0, 3000), adult.Slice(3000, 2000), null, 5, rowsChecked: 100);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.SyntheticRowsChecked, Is.EqualTo(100));
    }
}
