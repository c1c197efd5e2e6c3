namespace Pipelines.Synthetic.Tests.Copula;

public class GaussianCopulaSynthesizerTests
{
    private static GaussianCopulaSynthesizer FitAdult()
    {
        var synthesizer = new GaussianCopulaSynthesizer();
        synthesizer.Fit(AdultData.Load(), seed: 7);
        return synthesizer;
    }

    private static double[] Normals(Random random, int n)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }

        return x;
    }

    private static double Pearson(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double ma = a.Average(), mb = b.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Count; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return sab / Math.Sqrt(saa * sbb);
    }

    [Test]
    public void Same_seed_gives_bit_identical_samples_and_another_seed_differs()
    {
        var synthesizer = FitAdult();
        var a = synthesizer.Sample(20_000, seed: 42);
        var b = synthesizer.Sample(20_000, seed: 42);
        var c = synthesizer.Sample(20_000, seed: 43);
        TableAssert.Identical(a, b);
        Assert.That(a["age"].Values, Is.Not.EqualTo(c["age"].Values));
    }

    [Test]
    public void Fitting_twice_with_the_same_seed_gives_the_same_model()
    {
        var one = FitAdult();
        var two = FitAdult();
        TableAssert.Identical(one.Sample(3000, 5), two.Sample(3000, 5));
        Assert.That(one.Correlation, Is.EqualTo(two.Correlation));
    }

    [Test]
    public void A_short_sample_is_the_prefix_of_a_long_one_because_blocks_have_their_own_streams()
    {
        var synthesizer = FitAdult();
        var longSample = synthesizer.Sample(20_000, seed: 3);
        var shortSample = synthesizer.Sample(100, seed: 3);
        TableAssert.Identical(shortSample, longSample.Slice(0, 100));
    }

    [Test]
    public void A_saved_and_loaded_model_samples_exactly_what_the_fitted_one_does()
    {
        var synthesizer = FitAdult();
        string dir = Path.Combine(Path.GetTempPath(), "copula-" + Guid.NewGuid().ToString("N"));
        try
        {
            synthesizer.Save(dir);
            var loaded = SynthesizerStore.Load(dir);
            Assert.That(loaded, Is.InstanceOf<GaussianCopulaSynthesizer>());
            TableAssert.Identical(loaded.Sample(10_000, 11), synthesizer.Sample(10_000, 11));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Samples_keep_min_max_integer_ness_and_decimal_places()
    {
        var random = new Random(1);
        int n = 3000;
        var prices = Enumerable.Range(0, n).Select(_ => (double?)Math.Round(1.5 + random.NextDouble() * 8.25, 2)).ToArray();
        var counts = Enumerable.Range(0, n).Select(_ => (long?)random.Next(3, 17)).ToArray();
        var table = new ColumnTable([TableColumn.FromDoubles("price", prices), TableColumn.FromInt64("count", counts)]);
        var synthesizer = new GaussianCopulaSynthesizer();
        synthesizer.Fit(table, 1);
        var sample = synthesizer.Sample(20_000, 2);

        var p = ((double?[])sample["price"].Values).Select(v => v!.Value).ToArray();
        Assert.That(p.Min(), Is.GreaterThanOrEqualTo(prices.Min()!.Value));
        Assert.That(p.Max(), Is.LessThanOrEqualTo(prices.Max()!.Value));
        Assert.That(p.All(v => Math.Round(v, 2) == v), Is.True, "two decimal places");
        Assert.That(p.Any(v => Math.Round(v, 1) != v), Is.True, "not fewer decimal places");
        var k = ((long?[])sample["count"].Values).Select(v => v!.Value).ToArray();
        Assert.That(k.Min(), Is.EqualTo(3));
        Assert.That(k.Max(), Is.EqualTo(16));
    }

    [Test]
    public void Null_rates_of_numeric_and_categorical_columns_are_kept()
    {
        var random = new Random(2);
        int n = 5000;
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3 ? null : (double?)random.NextDouble()).ToArray();
        var s = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.1 ? null : (random.NextDouble() < 0.5 ? "a" : "b")).ToArray();
        var table = new ColumnTable([TableColumn.FromDoubles("x", x), TableColumn.FromStrings("s", s)]);
        var synthesizer = new GaussianCopulaSynthesizer();
        synthesizer.Fit(table, 1);
        var sample = synthesizer.Sample(40_000, 9);
        Assert.That(sample["x"].NullCount() / 40_000.0, Is.EqualTo(x.Count(v => v is null) / (double)n).Within(0.015));
        Assert.That(sample["s"].NullCount() / 40_000.0, Is.EqualTo(s.Count(v => v is null) / (double)n).Within(0.015));
    }

    [Test]
    public void Correlation_between_numeric_columns_is_reproduced()
    {
        var random = new Random(3);
        int n = 4000;
        var z1 = Normals(random, n);
        var z2 = Normals(random, n);
        var a = z1.Select(v => (double?)(10 + 2 * v)).ToArray();
        var b = z1.Select((v, i) => (double?)Math.Exp(0.8 * v + 0.6 * z2[i])).ToArray(); // rank correlation with a stays high
        var table = new ColumnTable([TableColumn.FromDoubles("a", a), TableColumn.FromDoubles("b", b)]);
        var synthesizer = new GaussianCopulaSynthesizer();
        synthesizer.Fit(table, 1);
        Assert.That(synthesizer.Correlation[0, 1], Is.EqualTo(0.8).Within(0.03));
        var sample = synthesizer.Sample(50_000, 4);
        var sa = ((double?[])sample["a"].Values).Select(v => v!.Value).ToArray();
        var sb = ((double?[])sample["b"].Values).Select(v => Math.Log(v!.Value)).ToArray();
        Assert.That(Pearson(sa, sb), Is.EqualTo(0.8).Within(0.04));
    }

    [Test]
    public void The_goodness_of_fit_statistic_picks_the_family_the_data_came_from()
    {
        var random = new Random(4);
        int n = 5000;
        var normal = Normals(random, n).Select(v => (double?)(50 + 5 * v)).ToArray();
        var uniform = Enumerable.Range(0, n).Select(_ => (double?)(2 + 3 * random.NextDouble())).ToArray();
        var exponential = Enumerable.Range(0, n).Select(_ => (double?)(-Math.Log(1 - random.NextDouble()) * 4)).ToArray();
        var bimodal = Normals(random, n).Select((v, i) => (double?)(i % 2 == 0 ? v : 10 + v)).ToArray();
        var table = new ColumnTable([
            TableColumn.FromDoubles("normal", normal), TableColumn.FromDoubles("uniform", uniform),
            TableColumn.FromDoubles("exponential", exponential), TableColumn.FromDoubles("bimodal", bimodal)]);
        var synthesizer = new GaussianCopulaSynthesizer();
        synthesizer.Fit(table, 1);
        var families = synthesizer.Marginals.ToDictionary(m => m.Column, m => m.Family);
        Assert.That(families["normal"], Is.AnyOf(MarginalFamily.Normal, MarginalFamily.TruncatedNormal));
        Assert.That(families["uniform"], Is.AnyOf(MarginalFamily.Uniform, MarginalFamily.Beta));
        Assert.That(families["exponential"], Is.EqualTo(MarginalFamily.Gamma));
        Assert.That(families["bimodal"], Is.EqualTo(MarginalFamily.Empirical));
        Assert.That(synthesizer.Marginals.Where(m => m.Family != MarginalFamily.Empirical).All(m => m.Ks <= 0.05), Is.True);
    }

    [Test]
    public void Category_frequencies_and_booleans_are_kept()
    {
        var random = new Random(5);
        int n = 5000;
        string[] labels = ["red", "green", "blue"];
        double[] weights = [0.6, 0.3, 0.1];
        var colours = Enumerable.Range(0, n).Select(_ =>
        {
            double u = random.NextDouble();
            return u < 0.6 ? labels[0] : u < 0.9 ? labels[1] : labels[2];
        }).ToArray();
        var flags = colours.Select(c => (bool?)(c == "red")).ToArray();
        var table = new ColumnTable([TableColumn.FromStrings("colour", colours), TableColumn.FromBooleans("is_red", flags)]);
        var synthesizer = new GaussianCopulaSynthesizer();
        synthesizer.Fit(table, 1);
        var sample = synthesizer.Sample(30_000, 1);
        var sc = (string?[])sample["colour"].Values;
        var sf = (bool?[])sample["is_red"].Values;
        for (int k = 0; k < 3; k++)
        {
            Assert.That(sc.Count(c => c == labels[k]) / 30_000.0, Is.EqualTo(weights[k]).Within(0.02), labels[k]);
        }

        // The copula keeps most of the link between the two columns (independent columns would agree
        // on 0.6² + 0.4² = 52% of rows; a Pearson correlation of scores cannot make it exact).
        double agreement = sc.Zip(sf).Count(p => (p.First == "red") == p.Second) / 30_000.0;
        Assert.That(agreement, Is.GreaterThan(0.85));
    }

    [Test]
    public void Timestamps_stay_in_range_and_keep_their_resolution()
    {
        var random = new Random(6);
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var days = Enumerable.Range(0, 2000).Select(_ => (DateTime?)start.AddDays(random.Next(0, 365))).ToArray();
        var table = new ColumnTable([TableColumn.FromTimestamps("day", days)]);
        var synthesizer = new GaussianCopulaSynthesizer();
        synthesizer.Fit(table, 1);
        var sample = ((DateTime?[])synthesizer.Sample(5000, 1)["day"].Values).Select(v => v!.Value).ToArray();
        Assert.That(sample.All(t => t.TimeOfDay == TimeSpan.Zero && t.Kind == DateTimeKind.Utc), Is.True);
        Assert.That(sample.Min(), Is.GreaterThanOrEqualTo(days.Min()!.Value));
        Assert.That(sample.Max(), Is.LessThanOrEqualTo(days.Max()!.Value));
        Assert.That(sample.Distinct().Count(), Is.GreaterThan(300));
    }

    [Test]
    public void An_empty_table_is_rejected_with_a_clear_message()
    {
        var table = new ColumnTable([TableColumn.FromInt64("age", [])]);
        var e = Assert.Throws<ArgumentException>(() => new GaussianCopulaSynthesizer().Fit(table, 1));
        Assert.That(e!.Message, Does.Contain("empty"));
    }

    [Test]
    public void An_all_null_column_is_rejected_naming_the_column()
    {
        var table = new ColumnTable([TableColumn.FromInt64("age", [1, 2]), TableColumn.FromStrings("notes", [null, null])]);
        var e = Assert.Throws<ArgumentException>(() => new GaussianCopulaSynthesizer().Fit(table, 1));
        Assert.That(e!.Message, Does.Contain("'notes'").And.Contain("only null"));
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void Rows_below_one_are_rejected(int rows)
    {
        var synthesizer = new GaussianCopulaSynthesizer();
        synthesizer.Fit(new ColumnTable([TableColumn.FromInt64("a", [1, 2, 3])]), 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => synthesizer.Sample(rows, 1));
        Assert.That(e!.Message, Does.Contain("'rows' must be at least 1").And.Contain(rows.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Sampling_before_fitting_is_an_error()
    {
        Assert.Throws<InvalidOperationException>(() => new GaussianCopulaSynthesizer().Sample(10, 1));
    }

    [Test]
    public void Invalid_options_are_reported_with_field_and_value()
    {
        var e = Assert.Throws<ArgumentException>(() => new GaussianCopulaSynthesizer(new GaussianCopulaOptions { EmpiricalThreshold = 1.5 }));
        Assert.That(e!.Message, Does.Contain("'empirical_threshold' must be between 0 and 1. You entered 1.5."));
    }
}
