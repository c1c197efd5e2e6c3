using System.Text.Json.Nodes;
using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Stages.Dedup;
using Pipelines.Stages.Tests.Support;

namespace Pipelines.Stages.Tests.Dedup;

public class SemanticDedupTests
{
    private StageHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new StageHarness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    // Unit vectors at a chosen angle from e0 in the (e0, e1) plane: cos(v(θ), e0) = cos θ by construction.
    private static float[] At(double cosine, int dims = 8, int axis = 1)
    {
        var v = new float[dims];
        v[0] = (float)cosine;
        v[axis] = (float)Math.Sqrt(1 - (cosine * cosine));
        return v;
    }

    private static float[] Axis(int i, int dims = 8)
    {
        var v = new float[dims];
        v[i] = 1;
        return v;
    }

    private async Task<string> WriteAsync(string name, string?[] texts, float[]?[] vectors, int rowGroupSize = 3)
    {
        var schema = new TableSchema([new ColumnSchema("text", ColumnType.String), new ColumnSchema("embedding", ColumnType.FloatList)]);
        string path = _h.PathOf(name + ".parquet");
        await ParquetTableWriter.WriteFileAsync(path, new TableBatch(schema, texts.Length, [texts, vectors]), rowGroupSize);
        return path;
    }

    [Test]
    public async Task Rows_at_or_above_the_cosine_threshold_are_removed_beside_the_kept_row_with_their_cosine()
    {
        // Row 1 is at cos 0.95 of row 0, row 2 at 0.85 (below 0.9), row 3 is row 0 scaled (cos 1, not identical bits),
        // row 4 an identical copy of row 5's vector, row 6 unrelated.
        var v0 = Axis(0);
        float[]?[] vectors = [v0, At(0.95), At(0.85, axis: 2), v0.Select(x => x * 3).ToArray(), Axis(3), Axis(3), Axis(4)];
        string?[] texts = ["a", "a'", "b", "A", "c", "c", "d"];
        var input = await WriteAsync("t", texts, vectors);
        var (outputs, summary) = await _h.RunAsync(new DedupStage(), """{"mode": "semantic", "embedding_column": "embedding", "columns": ["text"], "cosine_threshold": 0.9}""",
            new Dictionary<string, string> { ["table"] = input });

        var kept = await ParquetTableReader.ReadFileAsync(outputs["table"]);
        Assert.That(kept.StringColumn("text"), Is.EqualTo(new[] { "a", "b", "c", "d" }));
        var duplicates = await ParquetTableReader.ReadFileAsync(outputs["duplicates"]);
        Assert.That(duplicates.Column<long>("removed_row"), Is.EqualTo(new long?[] { 1, 3, 5 }));
        Assert.That(duplicates.Column<long>("kept_row"), Is.EqualTo(new long?[] { 0, 0, 4 }));
        Assert.That(duplicates.Column<double>("cosine")[0], Is.EqualTo(0.95).Within(1e-6));
        Assert.That(duplicates.Column<double>("cosine")[1], Is.EqualTo(1.0).Within(1e-6));
        Assert.That(duplicates.StringColumn("kind"), Is.EqualTo(new[] { "semantic", "semantic", "exact" }));
        Assert.That(summary["semantic_removed"], Is.EqualTo(2L));

        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outputs["report"], "report.json")))!;
        var pair = report["duplicate_pairs"]!["semantic"]!["shown"]![0]!;
        Assert.That(pair["removed_text"]!.GetValue<string>(), Is.EqualTo("a'"));
        Assert.That(pair["kept_text"]!.GetValue<string>(), Is.EqualTo("a"));
        Assert.That(pair["cosine"]!.GetValue<double>(), Is.EqualTo(0.95).Within(1e-6));
        Assert.That(File.ReadAllText(Path.Combine(outputs["report"], "report.html")), Does.Contain("Same meaning within the table"));
        Assert.That(report["candidate_probability_at_threshold"]!.GetValue<double>(), Is.GreaterThanOrEqualTo(0.99), "the automatic plan's promise");
    }

    [Test]
    public async Task Across_removes_table_rows_that_mean_what_a_test_row_means_beside_their_best_match()
    {
        var train = await WriteAsync("train", ["x", "near test 1", "far", "near test 0"], [Axis(5), At(0.93, axis: 2), Axis(6), At(0.97)]);
        // Across row 0 is e0; across row 1 is v(0.9) in the (e0, e2) plane, so cos(train 1, across 1) = 0.93·0.9 + 0.3676·0.4359 ≈ 0.997.
        var test = await WriteAsync("test", ["test 0", "test 1"], [Axis(0), At(0.9, axis: 2)]);
        var (outputs, summary) = await _h.RunAsync(new DedupStage(), """{"mode": "semantic", "embedding_column": "embedding", "columns": ["text"], "cosine_threshold": 0.9}""",
            new Dictionary<string, string> { ["table"] = train, ["across"] = test });

        var duplicates = await ParquetTableReader.ReadFileAsync(outputs["duplicates"]);
        Assert.That(duplicates.Column<long>("removed_row"), Is.EqualTo(new long?[] { 1, 3 }));
        Assert.That(duplicates.Column<long>("kept_row"), Is.EqualTo(new long?[] { 1, 0 }), "each beside its best across match");
        Assert.That(duplicates.StringColumn("matched"), Is.EqualTo(new[] { "across", "across" }));
        double expected = (0.93 * 0.9) + (Math.Sqrt(1 - (0.93 * 0.93)) * Math.Sqrt(1 - (0.9 * 0.9)));
        Assert.That(duplicates.Column<double>("cosine")[0], Is.EqualTo(expected).Within(1e-5));
        Assert.That(summary["across_removed"], Is.EqualTo(2L));
        var shown = JsonNode.Parse(File.ReadAllText(Path.Combine(outputs["report"], "report.json")))!["duplicate_pairs"]!["across"]!["shown"]!;
        Assert.That(shown[1]!["removed_text"]!.GetValue<string>(), Is.EqualTo("near test 0"));
        Assert.That(shown[1]!["kept_text"]!.GetValue<string>(), Is.EqualTo("test 0"));
    }

    [Test]
    public async Task A_missing_or_non_vector_embedding_column_is_a_user_error_naming_the_field()
    {
        var input = await WriteAsync("t", ["a"], [Axis(0)]);
        var inputs = new Dictionary<string, string> { ["table"] = input };
        var missing = Assert.ThrowsAsync<UserInputException>(() => _h.RunAsync(new DedupStage(), """{"mode": "semantic", "embedding_column": "vec"}""", inputs));
        Assert.That(missing!.Message, Does.Contain("Column 'vec' (in 'embedding_column') does not exist in input 'table'. The table has: text, embedding."));
        var text = Assert.ThrowsAsync<UserInputException>(() => _h.RunAsync(new DedupStage(), """{"mode": "semantic", "embedding_column": "text"}""", inputs));
        Assert.That(text!.Message, Does.Contain("is string; semantic dedup needs a list<float> column"));

        var errors = new DedupStage().Validate(new DedupOptions { Mode = DedupMode.Semantic, CosineThreshold = 1.5, LshBits = -1, LshTables = 1000 }).ToList();
        Assert.That(errors, Is.EquivalentTo(new[]
        {
            "'embedding_column' must name a list<float> column (e.g. the embed stage's output) when 'mode' is semantic.",
            "'cosine_threshold' must be greater than 0 and at most 1. You entered 1.5.",
            "'lsh_bits' must be 0 (automatic) or between 1 and 30. You entered -1.",
            "'lsh_tables' must be 0 (automatic) or between 1 and 256. You entered 1000.",
        }));
    }

    [Test]
    public async Task Vectors_of_different_lengths_are_a_user_error()
    {
        var input = await WriteAsync("t", ["a", "b"], [Axis(0), Axis(0, dims: 4)]);
        var e = Assert.ThrowsAsync<UserInputException>(() => _h.RunAsync(new DedupStage(), """{"mode": "semantic", "embedding_column": "embedding"}""", new Dictionary<string, string> { ["table"] = input }));
        Assert.That(e!.Message, Does.Contain("row 1 has 4 values, the first one 8"));
    }

    [Test]
    public void The_lsh_search_finds_what_all_pairs_finds_with_exact_cosines_and_the_same_pairs_at_any_thread_count()
    {
        // 3000 random unit vectors in 64 dimensions plus 200 planted neighbours at cosines 0.92-0.99 of random rows.
        var random = new Random(7);
        float[] RandomUnit()
        {
            var v = Enumerable.Range(0, 64).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            return SemanticDuplicateDetector.Normalize(v);
        }

        var vectors = Enumerable.Range(0, 3000).Select(_ => RandomUnit()).ToList();
        for (int i = 0; i < 200; i++)
        {
            var source = vectors[random.Next(3000)];
            var noise = RandomUnit();
            double target = 0.92 + (0.07 * random.NextDouble());
            // Orthogonalise the noise against the source, then mix: cos(result, source) = target.
            double along = source.Zip(noise, (a, b) => (double)a * b).Sum();
            var orthogonal = SemanticDuplicateDetector.Normalize(noise.Select((x, k) => (float)(x - (along * source[k]))).ToArray());
            vectors.Add(SemanticDuplicateDetector.Normalize(source.Select((x, k) => (float)((target * x) + (Math.Sqrt(1 - (target * target)) * orthogonal[k]))).ToArray()));
        }

        const double threshold = 0.9;
        var brute = new Dictionary<(int, int), double>();
        for (int i = 0; i < vectors.Count; i++)
        {
            for (int j = i + 1; j < vectors.Count; j++)
            {
                double c = DotDouble(vectors[i], vectors[j]);
                if (c >= threshold)
                {
                    brute[(i, j)] = c;
                }
            }
        }

        var one = new SemanticDuplicateDetector(new SemanticDuplicateOptions { Threshold = threshold, Seed = 3, MaxDegreeOfParallelism = 1 }).FindWithin(vectors);
        var all = new SemanticDuplicateDetector(new SemanticDuplicateOptions { Threshold = threshold, Seed = 3, MaxDegreeOfParallelism = -1 }).FindWithin(vectors);
        Assert.That(all.Pairs, Is.EqualTo(one.Pairs));
        Assert.That(all.CandidatePairs, Is.EqualTo(one.CandidatePairs));

        int found = one.Pairs.Count(p => brute.ContainsKey((p.First, p.Second)));
        double recall = (double)found / brute.Count;
        TestContext.Out.WriteLine($"all-pairs: {brute.Count} pairs ≥ {threshold}; LSH found {found} (recall {recall:F3}) from {one.CandidatePairs} candidates of {(long)vectors.Count * (vectors.Count - 1) / 2} pairs");
        Assert.Multiple(() =>
        {
            Assert.That(brute, Has.Count.GreaterThanOrEqualTo(200));
            Assert.That(found, Is.EqualTo(one.Pairs.Count), "every pair found is a true pair (precision 1)");
            Assert.That(one.Pairs.Select(p => p.Cosine), Is.EqualTo(one.Pairs.Select(p => brute[(p.First, p.Second)])).Within(1e-5));
            Assert.That(recall, Is.GreaterThanOrEqualTo(0.97), "the plan's candidate probability at the threshold is 0.99, higher above it");
            Assert.That(one.CandidatePairs, Is.LessThan(vectors.Count * (long)vectors.Count / 20), "under a tenth of all pairs");
        });
    }

    // The reference cosine: a plain loop in double, independent of the detector's float lanes.
    private static double DotDouble(float[] a, float[] b)
    {
        double sum = 0;
        for (int k = 0; k < a.Length; k++)
        {
            sum += (double)a[k] * b[k];
        }

        return sum;
    }

    [Test]
    public void The_candidate_probability_is_the_banded_sign_bit_formula()
    {
        // Hand values: cos 0.9 → θ = 0.4510, bit agreement 0.8564; 14 bits: 0.1142; 24 tables: 1 − 0.8858^24 = 0.946.
        Assert.That(HyperplaneLsh.CandidateProbability(0.9, 14, 24), Is.EqualTo(0.946).Within(0.001));
        Assert.That(HyperplaneLsh.CandidateProbability(0.0, 14, 24), Is.EqualTo(24 * Math.Pow(0.5, 14)).Within(1e-5));
    }

    [Test]
    public void The_automatic_plan_takes_the_fewest_tables_for_a_0_99_candidate_probability_at_the_threshold()
    {
        // Hand value: 0.9 and 14 bits → a table catches the pair with 0.114192; ln(0.01) / ln(1 − 0.114192) = 37.98 → 38.
        Assert.That(HyperplaneLshPlan.Choose(0.9, 100_000, bits: 14, tables: 0), Is.EqualTo((14, 38)));
        Assert.That(HyperplaneLshPlan.Choose(0.9, 100_000, bits: 9, tables: 7), Is.EqualTo((9, 7)), "both given: used as given");
        var (bits, tables) = HyperplaneLshPlan.Choose(0.75, 100_000, 0, 0);
        Assert.That(HyperplaneLsh.CandidateProbability(0.75, bits, tables), Is.GreaterThanOrEqualTo(0.99));
        Assert.That(HyperplaneLshPlan.Choose(0.9, 1_000_000, 0, 0).Bits, Is.GreaterThan(HyperplaneLshPlan.Choose(0.9, 1_000, 0, 0).Bits), "more rows, longer codes");
    }
}
