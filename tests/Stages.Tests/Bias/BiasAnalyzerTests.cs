using MathNet.Numerics.Distributions;
using Pipelines.Stages.Bias;
using Pipelines.Stages.Tests.TestData;

namespace Pipelines.Stages.Tests.Bias;

public class BiasAnalyzerTests
{
    // Group A: labels 1,1,1,0; group B: 1,0,0,0,0,0. The last two B rows are synthetic.
    private static readonly string?[] Groups = ["A", "A", "A", "A", "B", "B", "B", "B", "B", "B"];
    private static readonly string?[] Labels = ["1", "1", "1", "0", "1", "0", "0", "0", "0", "0"];
    private static readonly string?[] Predictions = ["1", "1", "0", "0", "1", "0", "0", "0", "1", "0"];
    private static readonly string?[] Source = ["real", "real", "real", "real", "real", "real", "real", "real", "synthetic", "synthetic"];

    private static BiasAnalysis Analyze(BiasThresholds? thresholds = null) => BiasAnalyzer.Analyze(
        new BiasData { Labels = Labels, Attributes = [new SensitiveAttribute("group", Groups)], Predictions = Predictions, Source = Source },
        new BiasSettings
        {
            Bootstrap = 0,
            Thresholds = thresholds ?? new BiasThresholds(),
            Reference = new Dictionary<string, IReadOnlyDictionary<string, double>> { ["group"] = new Dictionary<string, double> { ["A"] = 0.5, ["B"] = 0.5 } },
        });

    [Test]
    public void Selection_rates_parity_and_disparate_impact_match_hand_counts()
    {
        var a = Analyze();
        Assert.That(a.PositiveLabel, Is.EqualTo("1"));
        // base_rate from labels (A 3/4, B 1/6); selection_rate from predictions (A 2/4, B 2/6), as Fairlearn.
        Assert.That(a.Get("group", "A", "base_rate"), Is.EqualTo(0.75).Within(1e-12));
        Assert.That(a.Get("group", "B", "base_rate"), Is.EqualTo(1.0 / 6).Within(1e-12));
        Assert.That(a.Get("group", "A", "selection_rate"), Is.EqualTo(0.5).Within(1e-12));
        Assert.That(a.Get("group", "B", "selection_rate"), Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(a.Get("group", "*", "demographic_parity_difference"), Is.EqualTo(0.5 - (1.0 / 3)).Within(1e-12));
        Assert.That(a.Get("group", "*", "disparate_impact"), Is.EqualTo((1.0 / 3) / 0.5).Within(1e-12));
        Assert.That(a.Get("group", "A", "share"), Is.EqualTo(0.4).Within(1e-12));
        Assert.That(a.Get("group", "A", "representation_ratio"), Is.EqualTo(0.8).Within(1e-12));
        Assert.That(a.Get("group", "B", "label_share:0"), Is.EqualTo(5.0 / 6).Within(1e-12));
    }

    [Test]
    public void Chi_square_matches_the_hand_computed_statistic_and_the_normal_tail()
    {
        var a = Analyze();
        // Expected counts 2.4, 1.6, 3.6, 2.4; every deviation is ±1.4.
        double statistic = (1.96 / 2.4) + (1.96 / 1.6) + (1.96 / 3.6) + (1.96 / 2.4);
        Assert.That(a.Get("group", "*", "chi_square"), Is.EqualTo(statistic).Within(1e-12));
        Assert.That(a.Get("group", "*", "chi_square_dof"), Is.EqualTo(1));
        // With one degree of freedom chi-square is Z², so p = 2·(1 − Φ(√χ²)).
        double p = 2 * (1 - Normal.CDF(0, 1, Math.Sqrt(statistic)));
        Assert.That(a.Get("group", "*", "chi_square_p_value"), Is.EqualTo(p).Within(1e-9));
    }

    [Test]
    public void Equal_opportunity_and_equalized_odds_come_from_the_prediction_column()
    {
        var a = Analyze();
        Assert.That(a.Get("group", "A", "true_positive_rate"), Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(a.Get("group", "B", "false_positive_rate"), Is.EqualTo(0.2).Within(1e-12));
        Assert.That(a.Get("group", "*", "equal_opportunity_difference"), Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(a.Get("group", "*", "equalized_odds_difference"), Is.EqualTo(1.0 / 3).Within(1e-12));
    }

    [Test]
    public void Label_balance_is_reported_as_entropy_and_imbalance_ratio()
    {
        var a = Analyze();
        double entropy = -((0.4 * Math.Log2(0.4)) + (0.6 * Math.Log2(0.6)));
        Assert.That(a.Get("*", "*", "label_entropy_bits"), Is.EqualTo(entropy).Within(1e-12));
        Assert.That(a.Get("*", "*", "label_imbalance_ratio"), Is.EqualTo(1.5).Within(1e-12));
    }

    [Test]
    public void With_a_source_column_metrics_are_also_given_for_real_rows_alone()
    {
        var a = Analyze();
        Assert.That(a.Subsets, Is.EqualTo(new[] { "all", "real" }));
        Assert.That(a.Get("group", "B", "selection_rate", "real"), Is.EqualTo(0.25).Within(1e-12));
        Assert.That(a.Get("group", "*", "disparate_impact", "real"), Is.EqualTo(0.25 / 0.5).Within(1e-12));
    }

    [Test]
    public void Violations_name_the_threshold_the_value_and_the_limit()
    {
        var a = Analyze(new BiasThresholds { DisparateImpactMin = 0.8, ParityDifferenceMax = 0.6, MinGroupShare = 0.45 });
        Assert.That(a.Violations.Select(v => v.ToString()), Is.EqualTo(new[]
        {
            "min_group_share: group=A (all) is 0.4, limit 0.45",
            "disparate_impact_min: group (all) is 0.6667, limit 0.8",
            "disparate_impact_min: group (real) is 0.5, limit 0.8",
        }));
    }

    [Test]
    public void Adult_disparate_impact_by_sex_matches_plain_counting()
    {
        // Independent count over the shipped UCI Adult slice: share of ">50K" per sex.
        var rows = TestTables.AdultRows();
        double Rate(string sex) => rows.Count(r => r[9] == sex && r[14] == ">50K") / (double)rows.Count(r => r[9] == sex);
        double expected = Rate("Female") / Rate("Male");
        var table = TestTables.Adult();
        var a = BiasAnalyzer.Analyze(
            new BiasData { Labels = table.StringColumn("income"), Attributes = [new SensitiveAttribute("sex", table.StringColumn("sex"))] },
            new BiasSettings { PositiveLabel = ">50K" });
        Assert.That(a.Get("sex", "*", "disparate_impact"), Is.EqualTo(expected).Within(1e-12));
        Assert.That(a.Get("sex", "*", "disparate_impact"), Is.EqualTo((81.0 / 628) / (418.0 / 1372)).Within(1e-12));
        Assert.That(a.Get("sex", "*", "disparate_impact"), Is.LessThan(0.8)); // fails the four-fifths rule, as the full Adult data does (≈ 0.36)
    }

    [Test]
    public void Numeric_values_are_binned_by_edges()
    {
        var binner = new NumericBinner([25, 45]);
        Assert.That(new[] { binner.Bin(18), binner.Bin(25), binner.Bin(44.9), binner.Bin(45), binner.Bin(null) },
            Is.EqualTo(new[] { "<25", "[25, 45)", "[25, 45)", ">=45", null }));
    }

    [Test]
    public void An_unknown_positive_label_is_rejected_with_the_labels_found()
    {
        var error = Assert.Throws<ArgumentException>(() => BiasAnalyzer.Analyze(
            new BiasData { Labels = Labels, Attributes = [new SensitiveAttribute("group", Groups)] },
            new BiasSettings { PositiveLabel = "yes" }));
        Assert.That(error!.Message, Is.EqualTo("'positive_label' 'yes' does not occur in the label column. Labels found: 0, 1."));
    }
}
