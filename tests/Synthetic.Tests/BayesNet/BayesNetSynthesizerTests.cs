namespace Pipelines.Synthetic.Tests.BayesNet;

public class BayesNetSynthesizerTests
{
    private static ColumnTable Built() => Rules.DataRulesTests.Built();

    private static double TotalVariation(TableColumn real, TableColumn synthetic)
    {
        var a = RealShares(real);
        var b = RealShares(synthetic);
        return a.Keys.Union(b.Keys).Sum(k => Math.Abs(a.GetValueOrDefault(k) - b.GetValueOrDefault(k))) / 2;
    }

    private static Dictionary<string, double> RealShares(TableColumn column) =>
        Enumerable.Range(0, column.Length).GroupBy(i => Convert.ToString(column.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "null")
            .ToDictionary(g => g.Key, g => g.Count() / (double)column.Length);

    [Test]
    public void The_score_of_a_column_with_its_copy_is_ln_two_less_the_bias_term()
    {
        // Two identical fair binary columns over 8 rows: I = ln 2; bias (2 − 1)(2 − 1) / (2 · 8) = 1/16.
        int[][] codes = [[0, 1, 0, 1, 0, 1, 0, 1], [0, 1, 0, 1, 0, 1, 0, 1], [0, 0, 1, 1, 0, 0, 1, 1]];
        Assert.That(NetworkLearner.Score(codes, [2, 2, 2], 0, [1]), Is.EqualTo(Math.Log(2) - 1.0 / 16).Within(1e-12));
        // Independent columns: I = 0, so only the bias remains.
        Assert.That(NetworkLearner.Score(codes, [2, 2, 2], 0, [2]), Is.EqualTo(-1.0 / 16).Within(1e-12));
    }

    [Test]
    public void Samples_keep_every_marginal_and_the_pairs_the_network_links()
    {
        var real = Built();
        var network = new BayesNetSynthesizer();
        network.Fit(real, 1);
        var sample = network.Sample(20_000, 2);

        foreach (var column in real.Columns.Where(c => c.Kind == ColumnKind.Categorical))
        {
            Assert.That(TotalVariation(column, sample[column.Name]), Is.LessThan(0.02), column.Name);
        }

        // role -> sex as built: no husband is female, no wife male; about half of the children are female.
        var pairs = Enumerable.Range(0, sample.RowCount).Select(i => ((string)sample["role"].GetValue(i)!, (string)sample["sex"].GetValue(i)!)).ToArray();
        Assert.That(pairs.Count(p => p is ("husband", "female") or ("wife", "male")), Is.Zero);
        double childFemale = pairs.Count(p => p == ("child", "female")) / (double)pairs.Count(p => p.Item1 == "child");
        Assert.That(childFemale, Is.EqualTo(0.5).Within(0.03));
        // Numbers are real values of their bin.
        var starts = real["start"].Values.Cast<long?>().ToHashSet();
        Assert.That(sample["start"].Values.Cast<long?>().All(starts.Contains), Is.True);
    }

    [Test]
    public void The_same_seed_gives_the_same_rows_and_a_saved_model_gives_them_too()
    {
        var network = new BayesNetSynthesizer();
        network.Fit(Built(), 1);
        var a = network.Sample(3000, 5);
        string directory = Path.Combine(Path.GetTempPath(), "bayesnet-" + Guid.NewGuid().ToString("N"));
        try
        {
            network.Save(directory);
            var loaded = SynthesizerStore.Load(directory);
            Assert.That(loaded.Method, Is.EqualTo("bayesnet"));
            var b = loaded.Sample(3000, 5);
            for (int c = 0; c < a.Columns.Count; c++)
            {
                Assert.That(b.Columns[c].Values, Is.EqualTo(a.Columns[c].Values), a.Columns[c].Name);
            }
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [Test]
    public void Conditioned_rows_hold_the_condition_and_what_it_implies()
    {
        var network = new BayesNetSynthesizer();
        network.Fit(Built(), 1);
        var wives = network.Sample(400, 6, [new ColumnCondition("role", "wife")]);

        Assert.That(wives.RowCount, Is.EqualTo(400));
        Assert.That(wives["role"].Values, Is.All.EqualTo("wife"));
        Assert.That(wives["sex"].Values, Is.All.EqualTo("female"));
        Assert.Throws<ArgumentException>(() => network.Sample(10, 6, [new ColumnCondition("role", "uncle")]));
    }

    [Test]
    public void On_adult_the_network_keeps_related_pairs_better_than_the_copula_without_copying_rows()
    {
        // Fit on 2/3 of the shipped Adult slice, judge on the held-out third.
        var all = AdultData.Load();
        int train = all.RowCount * 2 / 3;
        var training = all.Slice(0, train);
        var holdout = all.Slice(train, all.RowCount - train);
        var rules = new DataRules(RuleDetector.Detect(training));
        var network = new RuleKeepingSynthesizer(new BayesNetSynthesizer(), rules);
        network.Fit(training, 1);
        var copula = new GaussianCopulaSynthesizer();
        copula.Fit(training, 1);
        var fromNetwork = network.Sample(holdout.RowCount, 2);

        var networkQuality = QualityEvaluator.Evaluate(holdout, fromNetwork);
        var copulaQuality = QualityEvaluator.Evaluate(holdout, copula.Sample(holdout.RowCount, 2));
        var baseline = QualityEvaluator.Evaluate(holdout, QualityEvaluator.IndependentColumns(training.Slice(0, holdout.RowCount), 3));
        Assert.That(networkQuality.ThresholdedPairTrendsScore, Is.GreaterThan(copulaQuality.ThresholdedPairTrendsScore!.Value + 0.05));
        Assert.That(copulaQuality.ThresholdedPairTrendsScore, Is.GreaterThan(baseline.ThresholdedPairTrendsScore!.Value));
        Assert.That(rules.Compliance(fromNetwork).Select(r => r.Share), Is.All.EqualTo(1.0));

        var privacy = PrivacyEvaluator.Evaluate(training, fromNetwork, holdout, 4);
        Assert.That(privacy.DcrMedianRatio, Is.GreaterThanOrEqualTo(1.0));
        Assert.That(privacy.ExactCopyShare, Is.LessThanOrEqualTo(privacy.HoldoutExactCopyShare!.Value + 0.005));
    }
}
