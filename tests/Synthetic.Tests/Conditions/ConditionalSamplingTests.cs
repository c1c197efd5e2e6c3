namespace Pipelines.Synthetic.Tests.Conditions;

public class ConditionalSamplingTests
{
    private static GaussianCopulaSynthesizer? s_adult;

    private static GaussianCopulaSynthesizer Adult()
    {
        if (s_adult is null)
        {
            s_adult = new GaussianCopulaSynthesizer(new GaussianCopulaOptions { ConditionBudget = 50 });
            s_adult.Fit(AdultData.Load(), 1);
        }

        return s_adult;
    }

    private static double MeanAge(ColumnTable t) => ((long?[])t["age"].Values).Where(v => v.HasValue).Average(v => (double)v!.Value);

    [Test]
    public void Every_row_of_a_conditioned_sample_has_the_rare_label_and_related_columns_shift_with_it()
    {
        var rich = Adult().Sample(2000, 5, [new ColumnCondition("income", ">50K")]);
        var poor = Adult().Sample(2000, 5, [new ColumnCondition("income", "<=50K")]);
        Assert.That(((string?[])rich["income"].Values).All(v => v == ">50K"), Is.True);
        Assert.That(((string?[])poor["income"].Values).All(v => v == "<=50K"), Is.True);

        // In the real data the >50K group is about 7 years older; the conditional Gaussian carries that over.
        var real = AdultData.Load();
        var income = (string?[])real["income"].Values;
        var ages = (long?[])real["age"].Values;
        double realGap = Enumerable.Range(0, real.RowCount).Where(i => income[i] == ">50K").Average(i => (double)ages[i]!.Value)
            - Enumerable.Range(0, real.RowCount).Where(i => income[i] == "<=50K").Average(i => (double)ages[i]!.Value);
        Assert.That(MeanAge(rich) - MeanAge(poor), Is.GreaterThan(realGap / 2).And.GreaterThan(2.0));
    }

    [Test]
    public void Several_conditions_hold_together_on_every_row()
    {
        var sample = Adult().Sample(500, 9, [new ColumnCondition("sex", "Female"), new ColumnCondition("income", ">50K"), new ColumnCondition("age", 45)]);
        Assert.That(((string?[])sample["sex"].Values).All(v => v == "Female"), Is.True);
        Assert.That(((string?[])sample["income"].Values).All(v => v == ">50K"), Is.True);
        Assert.That(((long?[])sample["age"].Values).All(v => v == 45), Is.True);
    }

    [Test]
    public void Conditional_samples_are_bit_identical_for_the_same_seed()
    {
        var a = Adult().Sample(700, 3, [new ColumnCondition("race", "Black")]);
        var b = Adult().Sample(700, 3, [new ColumnCondition("race", "Black")]);
        TableAssert.Identical(a, b);
    }

    [Test]
    public void A_condition_on_an_unknown_column_names_it()
    {
        var e = Assert.Throws<ArgumentException>(() => Adult().Sample(10, 1, [new ColumnCondition("salary", "high")]));
        Assert.That(e!.Message, Does.Contain("unknown column 'salary'"));
    }

    [Test]
    public void A_condition_on_a_value_never_seen_names_the_column_and_value()
    {
        var e = Assert.Throws<ArgumentException>(() => Adult().Sample(10, 1, [new ColumnCondition("income", "rich")]));
        Assert.That(e!.Message, Does.Contain("'income'").And.Contain("'rich'"));
        var f = Assert.Throws<ArgumentException>(() => Adult().Sample(10, 1, [new ColumnCondition("age", 150)]));
        Assert.That(f!.Message, Does.Contain("'age'").And.Contain("150"));
    }

    [Test]
    public void An_impossible_combination_stops_when_the_budget_is_spent()
    {
        // b always equals a, so {a: x, b: y} never happens.
        var a = Enumerable.Range(0, 400).Select(i => i % 2 == 0 ? "x" : "y").ToArray();
        var table = new ColumnTable([TableColumn.FromStrings("a", a), TableColumn.FromStrings("b", a.ToArray())]);
        var synthesizer = new GaussianCopulaSynthesizer(new GaussianCopulaOptions { ConditionBudget = 5 });
        synthesizer.Fit(table, 1);
        var e = Assert.Throws<InvalidOperationException>(() =>
            synthesizer.Sample(5000, 1, [new ColumnCondition("a", "x"), new ColumnCondition("b", "y")]));
        Assert.That(e!.Message, Does.Contain("condition_budget").And.Contain("of 5000 rows"));
    }

    [Test]
    public void Balancing_brings_every_group_to_the_largest_groups_count()
    {
        var real = AdultData.Load();
        var plan = GroupBalancer.Plan(real, "income");
        Assert.That(plan.Select(p => p.Value), Is.EqualTo(new[] { "<=50K", ">50K" }));
        int largest = plan.Max(p => p.Existing);
        var extra = GroupBalancer.Sample(Adult(), real, "income", plan, 4);
        var labels = (string?[])extra["income"].Values;
        foreach (var quota in plan)
        {
            Assert.That(quota.Existing + labels.Count(l => l == quota.Value), Is.EqualTo(largest), quota.Value);
        }
    }

    [Test]
    public void Balancing_to_given_targets_adds_only_what_is_missing()
    {
        var real = AdultData.Load();
        var plan = GroupBalancer.Plan(real, "sex", new Dictionary<string, int> { ["Female"] = 2000, ["Male"] = 10 });
        var female = plan.Single(p => p.Value == "Female");
        Assert.That(plan.Single(p => p.Value == "Male").Needed, Is.Zero);
        var extra = GroupBalancer.Sample(Adult(), real, "sex", plan, 4);
        Assert.That(extra.RowCount, Is.EqualTo(2000 - female.Existing));
    }

    [Test]
    public void Balancing_an_unknown_column_or_group_is_an_error()
    {
        var real = AdultData.Load();
        Assert.That(() => GroupBalancer.Plan(real, "salary"), Throws.ArgumentException.With.Message.Contains("unknown column 'salary'"));
        Assert.That(() => GroupBalancer.Plan(real, "sex", new Dictionary<string, int> { ["Other"] = 5 }),
            Throws.ArgumentException.With.Message.Contains("'Other'"));
    }
}
