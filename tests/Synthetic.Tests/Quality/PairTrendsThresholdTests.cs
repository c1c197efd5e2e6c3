namespace Pipelines.Synthetic.Tests.Quality;

/// <summary>Related-pair scores and the independent-columns baseline, against hand calculations.</summary>
public class PairTrendsThresholdTests
{
    [Test]
    public void Cramers_v_of_a_two_by_two_table_is_the_absolute_phi_coefficient()
    {
        // Joint shares [[0.4, 0.1], [0.1, 0.4]]: phi = (0.4·0.4 − 0.1·0.1) / √(0.5·0.5·0.5·0.5) = 0.15 / 0.25 = 0.6.
        Assert.That(QualityEvaluator.CramersV([0.4, 0.1, 0.1, 0.4], 2, 2), Is.EqualTo(0.6).Within(1e-12));
        // Independent: [[0.25, 0.25], [0.25, 0.25]] → 0.
        Assert.That(QualityEvaluator.CramersV([0.25, 0.25, 0.25, 0.25], 2, 2), Is.EqualTo(0).Within(1e-12));
        // A 3×3 one-to-one table: V = 1.
        Assert.That(QualityEvaluator.CramersV([1 / 3.0, 0, 0, 0, 1 / 3.0, 0, 0, 0, 1 / 3.0], 3, 3), Is.EqualTo(1).Within(1e-12));
    }

    [Test]
    public void Only_pairs_related_in_the_real_data_enter_the_thresholded_score()
    {
        var real = Rules.DataRulesTests.Built();
        var report = QualityEvaluator.Evaluate(real, real);
        var related = report.ColumnPairTrends.Where(p => p.RealAssociation >= QualityReport.AssociationThreshold).Select(p => $"{p.ColumnA}-{p.ColumnB}").ToArray();

        // grade/grade_points (V = 1), role/sex (husbands male, wives female: V ≈ 0.7), start/end (ρ ≈ 0.87); nothing with noise or colour.
        Assert.That(related, Is.EquivalentTo(new[] { "grade-grade_points", "role-sex", "start-end" }));
        Assert.That(report.RelatedPairs, Is.EqualTo(3));
        Assert.That(report.ThresholdedPairTrendsScore, Is.EqualTo(1.0).Within(1e-12), "a table against itself");
    }

    [Test]
    public void The_independent_columns_baseline_keeps_every_shape_and_loses_the_related_pairs()
    {
        var real = Rules.DataRulesTests.Built();
        var baseline = QualityEvaluator.Evaluate(real, QualityEvaluator.IndependentColumns(real, 3));

        Assert.That(baseline.ColumnShapesScore, Is.EqualTo(1.0).Within(1e-12), "a permutation of each column has the same values");
        Assert.That(baseline.ThresholdedPairTrendsScore, Is.LessThan(0.8));
    }
}
