namespace Pipelines.Synthetic.Tests.Rules;

/// <summary>Finding and keeping the data's logic (issue 19 part 3), on a table whose relations are built in by hand.</summary>
public class DataRulesTests
{
    private static readonly Dictionary<string, long> Points = new() { ["A"] = 4, ["B"] = 3, ["C"] = 2, ["D"] = 1 };

    /// <summary>
    /// 2,000 rows: grade determines grade_points; a husband is male and a wife female (a child either); start ≤ end with
    /// overlapping ranges; noise and colour independent of everything.
    /// </summary>
    internal static ColumnTable Built(int rows = 2000, int wrongPoints = 0)
    {
        var random = new Random(5);
        string[] grades = ["A", "B", "C", "D"], roles = ["husband", "wife", "child"], colours = ["red", "green", "blue", "grey", "pink"];
        var grade = new string?[rows];
        var points = new long?[rows];
        var role = new string?[rows];
        var sex = new string?[rows];
        var start = new long?[rows];
        var end = new long?[rows];
        var noise = new long?[rows];
        var colour = new string?[rows];
        for (int i = 0; i < rows; i++)
        {
            grade[i] = grades[random.Next(4)];
            points[i] = Points[grade[i]!] + (i < wrongPoints ? 10 : 0);
            role[i] = roles[random.Next(3)];
            sex[i] = role[i] switch { "husband" => "male", "wife" => "female", _ => random.Next(2) == 0 ? "male" : "female" };
            start[i] = random.Next(10, 1000);
            end[i] = start[i] + random.Next(0, 500);
            noise[i] = random.Next(-1000, 1000);
            colour[i] = colours[random.Next(5)];
        }

        return new ColumnTable([
            TableColumn.FromStrings("grade", grade), TableColumn.FromInt64("grade_points", points), TableColumn.FromStrings("role", role),
            TableColumn.FromStrings("sex", sex), TableColumn.FromInt64("start", start), TableColumn.FromInt64("end", end),
            TableColumn.FromInt64("noise", noise), TableColumn.FromStrings("colour", colour)]);
    }

    private static string[] Signatures(IEnumerable<IDataRule> rules) => rules.Select(r => $"{r.Type}({string.Join(",", r.Columns)})").ToArray();

    [Test]
    public void Detection_finds_exactly_the_relations_built_into_the_table()
    {
        var rules = RuleDetector.Detect(Built());

        Assert.That(Signatures(rules), Is.EquivalentTo(new[]
        {
            "functional_dependency(grade,grade_points)", // the first direction of grade <-> grade_points, not both
            "fixed_combinations(role,sex)",
            "inequality(start,end)",
        }));
        var combinations = rules.OfType<FixedCombinations>().Single();
        Assert.That(combinations.Forbidden, Is.EqualTo(new[] { ("husband", "female"), ("wife", "male") }));
        Assert.That(rules.OfType<FunctionalDependency>().Single().Describe(), Does.Contain("4 values").And.Contain("2000 of 2000 real rows"));
    }

    [Test]
    public void A_dependency_broken_in_at_most_one_row_per_thousand_still_counts_and_one_broken_more_often_does_not()
    {
        Assert.That(Signatures(RuleDetector.Detect(Built(wrongPoints: 2))), Does.Contain("functional_dependency(grade,grade_points)"));
        Assert.That(Signatures(RuleDetector.Detect(Built(wrongPoints: 3))), Does.Not.Contain("functional_dependency(grade,grade_points)"));
    }

    [Test]
    public void Copula_rows_break_the_relations_and_the_same_model_behind_the_rules_keeps_every_one()
    {
        var real = Built();
        var rules = new DataRules(RuleDetector.Detect(real));
        var copula = new GaussianCopulaSynthesizer();
        copula.Fit(real, 1);
        var plain = rules.Compliance(copula.Sample(3000, 2));
        Assert.That(plain.Min(r => r.Share), Is.LessThan(0.95), "the copula alone should break a relation, or this test proves nothing");

        var keeping = new RuleKeepingSynthesizer(copula, rules);
        var sample = keeping.Sample(3000, 2);
        Assert.That(sample.RowCount, Is.EqualTo(3000));
        foreach (var rule in rules.Compliance(sample))
        {
            Assert.That(rule.Share, Is.EqualTo(1.0), rule.Description);
        }

        // Checked by hand on the rows, not through the rules: points follow the grade, no husband is female, start <= end.
        for (int i = 0; i < sample.RowCount; i++)
        {
            Assert.That(sample["grade_points"].GetValue(i), Is.EqualTo(Points[(string)sample["grade"].GetValue(i)!]));
            Assert.That(((string?)sample["role"].GetValue(i), (string?)sample["sex"].GetValue(i)), Is.Not.EqualTo(("husband", "female")).And.Not.EqualTo(("wife", "male")));
            Assert.That((long)sample["start"].GetValue(i)! <= (long)sample["end"].GetValue(i)!, Is.True);
        }
    }

    [Test]
    public void Redrawing_a_forbidden_combination_leaves_the_first_columns_distribution_alone()
    {
        var real = Built();
        var rules = new DataRules(RuleDetector.Detect(real));
        var copula = new GaussianCopulaSynthesizer();
        copula.Fit(real, 1);
        var plain = copula.Sample(3000, 4);
        var repaired = rules.Apply(plain, 9);

        Assert.That(repaired["role"].Values, Is.EqualTo(plain["role"].Values), "only sex is redrawn");
        Assert.That(Enumerable.Range(0, repaired.RowCount).Count(i => (string?)repaired["role"].GetValue(i) == "husband" && (string?)repaired["sex"].GetValue(i) == "female"), Is.Zero);
    }

    [Test]
    public void A_condition_on_a_derived_column_still_holds_and_brings_its_determinant_along()
    {
        var real = Built();
        var keeping = new RuleKeepingSynthesizer(new GaussianCopulaSynthesizer(), new DataRules(RuleDetector.Detect(real)));
        keeping.Fit(real, 1);
        var sample = keeping.Sample(500, 3, [new ColumnCondition("grade_points", 4L)]);

        Assert.That(sample.RowCount, Is.EqualTo(500));
        Assert.That(sample["grade_points"].Values, Is.All.EqualTo(4L));
        Assert.That(sample["grade"].Values, Is.All.EqualTo("A"));
    }

    [Test]
    public void Samples_that_obey_the_rules_are_the_same_for_the_same_seed()
    {
        var real = Built();
        var rules = new DataRules(RuleDetector.Detect(real));
        var copula = new GaussianCopulaSynthesizer();
        copula.Fit(real, 1);
        var keeping = new RuleKeepingSynthesizer(copula, rules);
        var a = keeping.Sample(2000, 8);
        var b = keeping.Sample(2000, 8);
        for (int c = 0; c < a.Columns.Count; c++)
        {
            Assert.That(a.Columns[c].Values, Is.EqualTo(b.Columns[c].Values), a.Columns[c].Name);
        }
    }

    [Test]
    public void A_declared_inequality_the_data_breaks_is_still_kept_and_its_real_breaches_are_counted()
    {
        var real = Built();
        var declared = new ConstraintOptions { Type = "inequality", Low = "noise", High = "start" }.ToRule(real);
        int breaches = Enumerable.Range(0, real.RowCount).Count(i => (long)real["noise"].GetValue(i)! > (long)real["start"].GetValue(i)!);
        Assert.That(declared.Describe(), Does.Contain($"{real.RowCount - breaches} of 2000 real rows"));

        var copula = new GaussianCopulaSynthesizer();
        var keeping = new RuleKeepingSynthesizer(copula, new DataRules([declared]));
        keeping.Fit(real, 1);
        var sample = keeping.Sample(1000, 5);
        Assert.That(Enumerable.Range(0, sample.RowCount).All(i => (long)sample["noise"].GetValue(i)! <= (long)sample["start"].GetValue(i)!), Is.True);
    }

    [Test]
    public void A_declared_constraint_on_an_unknown_column_names_it()
    {
        var e = Assert.Throws<ArgumentException>(() => new ConstraintOptions { Type = "functional_dependency", Determinant = "grade", Dependent = "points" }.ToRule(Built(100)));
        Assert.That(e!.Message, Does.Contain("unknown column 'points'"));
    }
}
