namespace Pipelines.Synthetic.Tests.Quality;

public class QualityEvaluatorTests
{
    private static ColumnTable Numbers(string name, params double[] v) => new([TableColumn.FromDoubles(name, v.Select(x => (double?)x).ToArray())]);

    [Test]
    public void A_table_compared_with_itself_scores_one_everywhere()
    {
        var real = AdultData.Load();
        var report = QualityEvaluator.Evaluate(real, real);
        Assert.That(report.OverallScore, Is.EqualTo(1.0));
        Assert.That(report.ColumnShapes.All(s => s.Score == 1.0), Is.True);
        Assert.That(report.ColumnPairTrends.All(s => s.Score == 1.0), Is.True);
        Assert.That(report.ColumnPairTrends, Has.Count.EqualTo(15 * 14 / 2));
    }

    [Test]
    public void Ks_complement_matches_the_hand_computed_statistic()
    {
        // ECDFs differ most at 2: real 0.5, synthetic 0 → KS = 0.5.
        var report = QualityEvaluator.Evaluate(Numbers("x", 1, 2, 3, 4), Numbers("x", 3, 4, 5, 6));
        Assert.That(report.ColumnShapes.Single().Metric, Is.EqualTo("ks_complement"));
        Assert.That(report.ColumnShapes.Single().Score, Is.EqualTo(0.5).Within(1e-12));
    }

    [Test]
    public void Tv_complement_matches_the_hand_computed_distance()
    {
        var real = new ColumnTable([TableColumn.FromStrings("c", ["a", "a", "b", "b"])]);
        var synthetic = new ColumnTable([TableColumn.FromStrings("c", ["a", "a", "a", "b"])]);
        var score = QualityEvaluator.Evaluate(real, synthetic).ColumnShapes.Single();
        Assert.That(score.Metric, Is.EqualTo("tv_complement"));
        Assert.That(score.Score, Is.EqualTo(0.75).Within(1e-12)); // TV = (|0.5−0.75| + |0.5−0.25|) / 2
    }

    [Test]
    public void Opposite_correlations_give_zero_correlation_similarity()
    {
        var real = new ColumnTable([TableColumn.FromDoubles("a", [1, 2, 3]), TableColumn.FromDoubles("b", [1, 2, 3])]);
        var synthetic = new ColumnTable([TableColumn.FromDoubles("a", [1, 2, 3]), TableColumn.FromDoubles("b", [3, 2, 1])]);
        var pair = QualityEvaluator.Evaluate(real, synthetic).ColumnPairTrends.Single();
        Assert.That(pair.Metric, Is.EqualTo("correlation_similarity"));
        Assert.That(pair.Score, Is.EqualTo(0.0).Within(1e-12));
        Assert.That(pair.RealCorrelation, Is.EqualTo(1.0).Within(1e-12));
        Assert.That(pair.SyntheticCorrelation, Is.EqualTo(-1.0).Within(1e-12));
    }

    [Test]
    public void Swapped_category_pairs_give_zero_contingency_similarity_while_shapes_stay_perfect()
    {
        var real = new ColumnTable([TableColumn.FromStrings("a", ["x", "y"]), TableColumn.FromStrings("b", ["p", "q"])]);
        var synthetic = new ColumnTable([TableColumn.FromStrings("a", ["x", "y"]), TableColumn.FromStrings("b", ["q", "p"])]);
        var report = QualityEvaluator.Evaluate(real, synthetic);
        Assert.That(report.ColumnShapesScore, Is.EqualTo(1.0));
        Assert.That(report.ColumnPairTrends.Single().Metric, Is.EqualTo("contingency_similarity"));
        Assert.That(report.ColumnPairTrendsScore, Is.EqualTo(0.0).Within(1e-12));
        Assert.That(report.OverallScore, Is.EqualTo(0.5).Within(1e-12));
    }

    [Test]
    public void A_synthetic_table_missing_a_column_is_an_error_naming_it()
    {
        var real = new ColumnTable([TableColumn.FromDoubles("a", [1]), TableColumn.FromDoubles("b", [1])]);
        Assert.That(() => QualityEvaluator.Evaluate(real, Numbers("a", 1)), Throws.ArgumentException.With.Message.Contains("'b'"));
    }

    [Test]
    public void Copula_samples_of_adult_score_well_and_far_above_shuffled_columns()
    {
        var real = AdultData.Load();
        var synthesizer = new GaussianCopulaSynthesizer();
        synthesizer.Fit(real, 1);
        var report = QualityEvaluator.Evaluate(real, synthesizer.Sample(5000, 2));
        Assert.That(report.ColumnShapesScore, Is.GreaterThan(0.9));
        Assert.That(report.OverallScore, Is.GreaterThan(0.85));

        // Shuffling each column independently keeps shapes but breaks relations: on strongly related
        // pairs the copula must do clearly better than that.
        var random = new Random(3);
        var shuffled = new ColumnTable(real.Columns.Select(c =>
        {
            var order = Enumerable.Range(0, real.RowCount).OrderBy(_ => random.Next()).ToArray();
            return real.Take(order)[c.Name];
        }));
        var baseline = QualityEvaluator.Evaluate(real, shuffled);
        foreach (var (a, b) in new[] { ("marital_status", "relationship"), ("relationship", "sex"), ("education_num", "income") })
        {
            double copula = report.ColumnPairTrends.Single(p => p.ColumnA == a && p.ColumnB == b).Score;
            double independent = baseline.ColumnPairTrends.Single(p => p.ColumnA == a && p.ColumnB == b).Score;
            Assert.That(copula, Is.GreaterThan(independent + 0.05), $"{a} × {b}");
        }
    }
}
