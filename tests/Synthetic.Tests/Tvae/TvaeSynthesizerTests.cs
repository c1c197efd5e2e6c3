namespace Pipelines.Synthetic.Tests.Tvae;

public class TvaeSynthesizerTests
{
    private static readonly TvaeOptions Tiny = new() { Epochs = 8, BatchSize = 200, HiddenDims = [64, 64], LatentDim = 8, SampleBatchSize = 4096 };
    private static TvaeSynthesizer? s_fitted;

    private static ColumnTable Training => AdultData.Load().Slice(0, 2000);

    private static TvaeSynthesizer Fitted()
    {
        if (s_fitted is null)
        {
            s_fitted = new TvaeSynthesizer(Tiny);
            s_fitted.Fit(Training, 5);
        }

        return s_fitted;
    }

    [Test]
    public void Onnx_runtime_decodes_the_same_latents_to_the_same_outputs_as_torchsharp()
    {
        var synthesizer = Fitted();
        int rows = 257, latent = synthesizer.DecoderInputDim, width = synthesizer.OutputDim;
        var random = new Random(1);
        var z = Enumerable.Range(0, rows * latent).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        using var runner = new OnnxDecoderRunner(synthesizer.DecoderModel.ToArray(), latent, width, rows);
        z.CopyTo(runner.Latents, 0);
        runner.Run();
        var expected = synthesizer.TorchDecoder!(z, rows);
        double maxError = runner.Outputs.Zip(expected).Max(p => Math.Abs(p.First - p.Second));
        Assert.That(expected, Has.Length.EqualTo(rows * width));
        Assert.That(maxError, Is.LessThan(1e-4));
        Assert.That(expected.Select(Math.Abs).Max(), Is.GreaterThan(0.1), "outputs are not trivially zero");
    }

    [Test]
    public void Same_seed_samples_are_bit_identical_and_independent_of_the_onnx_batch_size()
    {
        var synthesizer = Fitted();
        var a = synthesizer.Sample(5000, 3);
        TableAssert.Identical(synthesizer.Sample(5000, 3), a);
        using var small = synthesizer.WithSampleBatchSize(64);
        TableAssert.Identical(small.Sample(5000, 3), a);
        Assert.That(synthesizer.Sample(5000, 4)["age"].Values, Is.Not.EqualTo(a["age"].Values));
    }

    [Test]
    public void Training_twice_with_the_same_seed_gives_the_same_model()
    {
        var options = new TvaeOptions { Epochs = 2, BatchSize = 100, HiddenDims = [32], LatentDim = 4 };
        using var one = new TvaeSynthesizer(options);
        using var two = new TvaeSynthesizer(options);
        var table = Training.Slice(0, 500);
        one.Fit(table, 9);
        two.Fit(table, 9);
        Assert.That(one.DecoderModel.ToArray(), Is.EqualTo(two.DecoderModel.ToArray()));
    }

    [Test]
    public void A_saved_model_loads_with_onnx_runtime_alone_and_samples_the_same_rows()
    {
        var synthesizer = Fitted();
        string dir = Path.Combine(Path.GetTempPath(), "tvae-" + Guid.NewGuid().ToString("N"));
        try
        {
            synthesizer.Save(dir);
            Assert.That(File.Exists(Path.Combine(dir, "decoder.onnx")), Is.True);
            var loaded = SynthesizerStore.Load(dir);
            Assert.That(loaded, Is.InstanceOf<TvaeSynthesizer>());
            TableAssert.Identical(loaded.Sample(3000, 8), synthesizer.Sample(3000, 8));
            ((IDisposable)loaded).Dispose();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Samples_keep_types_ranges_and_learn_the_columns()
    {
        var real = Training;
        var sample = Fitted().Sample(4000, 1);
        var ages = ((long?[])sample["age"].Values).Select(v => v!.Value).ToArray();
        var realAges = ((long?[])real["age"].Values).Select(v => v!.Value).ToArray();
        Assert.That(ages.Min(), Is.GreaterThanOrEqualTo(realAges.Min()));
        Assert.That(ages.Max(), Is.LessThanOrEqualTo(realAges.Max()));
        var report = QualityEvaluator.Evaluate(real, sample);
        TestContext.Out.WriteLine($"tvae quality {report.OverallScore} shapes {report.ColumnShapesScore} pairs {report.ColumnPairTrendsScore}");
        Assert.That(report.ColumnShapesScore, Is.GreaterThan(0.8));
        Assert.That(report.OverallScore, Is.GreaterThan(0.75));
    }

    [Test]
    public void Booleans_timestamps_decimals_and_null_rates_come_back_typed()
    {
        var random = new Random(4);
        int n = 1500;
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var table = new ColumnTable([
            TableColumn.FromBooleans("flag", Enumerable.Range(0, n).Select(_ => (bool?)(random.NextDouble() < 0.3)).ToArray()),
            TableColumn.FromTimestamps("day", Enumerable.Range(0, n).Select(_ => (DateTime?)start.AddDays(random.Next(0, 100))).ToArray()),
            TableColumn.FromDoubles("price", Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.25 ? null : (double?)Math.Round(random.NextDouble() * 50, 2)).ToArray()),
        ]);
        using var synthesizer = new TvaeSynthesizer(new TvaeOptions { Epochs = 5, BatchSize = 150, HiddenDims = [32], LatentDim = 4 });
        synthesizer.Fit(table, 1);
        var sample = synthesizer.Sample(6000, 2);
        var flags = (bool?[])sample["flag"].Values;
        var days = (DateTime?[])sample["day"].Values;
        var prices = (double?[])sample["price"].Values;
        Assert.That(flags.Count(f => f == true) / 6000.0, Is.EqualTo(0.3).Within(0.1));
        Assert.That(days.All(t => t is { } v && v.TimeOfDay == TimeSpan.Zero && v >= start && v < start.AddDays(100)), Is.True);
        Assert.That(prices.Count(p => p is null) / 6000.0, Is.EqualTo(0.25).Within(0.03));
        Assert.That(prices.Where(p => p.HasValue).All(p => Math.Round(p!.Value, 2) == p.Value && p.Value is >= 0 and <= 50), Is.True);
    }

    [Test]
    public void Conditions_hold_on_every_row_by_rejection()
    {
        var sample = Fitted().Sample(300, 2, [new ColumnCondition("income", ">50K")]);
        Assert.That(sample.RowCount, Is.EqualTo(300));
        Assert.That(((string?[])sample["income"].Values).All(v => v == ">50K"), Is.True);
        Assert.That(() => Fitted().Sample(10, 2, [new ColumnCondition("salary", "x")]), Throws.ArgumentException.With.Message.Contains("'salary'"));
    }

    [Test]
    public void A_conditional_decoder_generates_a_rare_category_without_rejection()
    {
        var options = new TvaeOptions { Epochs = 6, BatchSize = 200, HiddenDims = [64], LatentDim = 8, ConditionColumn = "race", ConditionBudget = 1 };
        using var synthesizer = new TvaeSynthesizer(options);
        var real = Training;
        synthesizer.Fit(real, 3);
        Assert.That(synthesizer.DecoderInputDim, Is.GreaterThan(synthesizer.LatentDim));

        // "Other" is about 1% of rows: with a budget of one candidate per row rejection could not find 500.
        var rare = synthesizer.Sample(500, 4, [new ColumnCondition("race", "Other")]);
        Assert.That(((string?[])rare["race"].Values).All(v => v == "Other"), Is.True);

        // Without a condition the decoder's category is drawn with the training frequencies.
        var sample = synthesizer.Sample(20_000, 5);
        double realWhite = ((string?[])real["race"].Values).Count(v => v == "White") / (double)real.RowCount;
        Assert.That(((string?[])sample["race"].Values).Count(v => v == "White") / 20_000.0, Is.EqualTo(realWhite).Within(0.02));

        // ONNX Runtime and TorchSharp agree on the conditional decoder too.
        int rows = 33, input = synthesizer.DecoderInputDim;
        var random = new Random(2);
        var z = Enumerable.Range(0, rows * input).Select(_ => (float)random.NextDouble()).ToArray();
        using var runner = new OnnxDecoderRunner(synthesizer.DecoderModel.ToArray(), input, synthesizer.OutputDim, rows);
        z.CopyTo(runner.Latents, 0);
        runner.Run();
        Assert.That(runner.Outputs.Zip(synthesizer.TorchDecoder!(z, rows)).Max(p => Math.Abs(p.First - p.Second)), Is.LessThan(1e-4));
    }

    [Test]
    public void A_condition_column_must_exist_and_be_categorical()
    {
        using var unknown = new TvaeSynthesizer(new TvaeOptions { Epochs = 1, ConditionColumn = "salary" });
        Assert.That(() => unknown.Fit(Training.Slice(0, 100), 1), Throws.ArgumentException.With.Message.Contains("unknown column 'salary'"));
        using var numeric = new TvaeSynthesizer(new TvaeOptions { Epochs = 1, ConditionColumn = "age" });
        Assert.That(() => numeric.Fit(Training.Slice(0, 100), 1), Throws.ArgumentException.With.Message.Contains("'age' is numeric"));
    }

    [Test]
    public void Bad_input_is_rejected_with_clear_messages()
    {
        using var synthesizer = new TvaeSynthesizer(Tiny);
        var allNull = new ColumnTable([TableColumn.FromInt64("a", [1, 2]), TableColumn.FromDoubles("b", [null, null])]);
        Assert.That(() => synthesizer.Fit(allNull, 1), Throws.ArgumentException.With.Message.Contains("'b'"));
        Assert.That(() => Fitted().Sample(0, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("'rows' must be at least 1"));
        Assert.That(() => new TvaeSynthesizer(new TvaeOptions { Epochs = 0 }), Throws.ArgumentException.With.Message.Contains("'epochs'"));
    }
}
