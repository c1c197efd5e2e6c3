using Pipelines.Stages.Dedup;
using Pipelines.Stages.Tests.TestData;

namespace Pipelines.Stages.Tests.Dedup;

public class DedupSessionTests
{
    private static DedupOutcome Run(IReadOnlyList<string?> texts, DeduplicatorSettings settings, IReadOnlyList<string?>? across = null, long[]? newest = null)
    {
        var session = new DedupSession(settings);
        session.AddRows([texts], texts.Count, newest);
        if (across is not null)
        {
            session.AddAcrossRows([across], across.Count);
        }

        return session.Complete();
    }

    private static string Edit(string text, int everyNth)
    {
        var words = text.Split(' ');
        for (int i = everyNth - 1; i < words.Length; i += everyNth)
        {
            words[i] = "zzz" + i;
        }

        return string.Join(' ', words);
    }

    private static string EditMiddleWord(string text)
    {
        var words = text.Split(' ');
        words[words.Length / 2] = "zzzz";
        return string.Join(' ', words);
    }

    [Test]
    public void Exact_mode_removes_copies_that_differ_only_in_case_and_spacing()
    {
        string?[] texts = ["Hello world", "hello   WORLD", "something else", "Hello world "];
        var outcome = Run(texts, new DeduplicatorSettings { Mode = DedupMode.Exact });
        Assert.That(outcome.Removed, Is.EqualTo(new[] { false, true, false, true }));
        Assert.That(outcome.Records.Select(r => (r.KeptRow, r.RemovedRow, r.Kind)),
            Is.EqualTo(new[] { (0L, 1L, DuplicateKind.Exact), (0L, 3L, DuplicateKind.Exact) }));
        Assert.That(outcome.Clusters.Single().Rows, Is.EqualTo(new[] { 0, 1, 3 }));
    }

    [Test]
    public void Near_mode_finds_planted_near_copies_of_real_questions_and_nothing_else()
    {
        var (questions, _) = TestTables.Gsm8k("gsm8k_train_300.jsonl");
        var texts = questions.Cast<string?>().ToList();
        // Rows 300..309: copies of questions 0..9 with their middle word changed (3-gram Jaccard 0.8–0.95).
        for (int i = 0; i < 10; i++)
        {
            texts.Add(EditMiddleWord(questions[i]));
        }

        // 32 bands of 4 rows: a pair at Jaccard 0.78 shares a band with probability 1 − (1 − 0.78⁴)³² > 0.9999.
        var settings = new DeduplicatorSettings { Near = new NearDuplicateOptions { Threshold = 0.7, NgramSize = 3, Seed = 1, Bands = 32, Rows = 4 } };
        var outcome = Run(texts, settings);
        var removed = outcome.Records.Select(r => (r.KeptRow, r.RemovedRow)).ToArray();
        Assert.That(removed, Is.EquivalentTo(Enumerable.Range(0, 10).Select(i => ((long)i, (long)(300 + i)))));
        Assert.That(outcome.Records.All(r => r.Kind == DuplicateKind.Near && r.ExactJaccard >= 0.7), Is.True);
        Assert.That(outcome.RowsOut, Is.EqualTo(300));
    }

    [Test]
    public void Verification_reports_the_exact_jaccard_of_the_shingle_sets()
    {
        string a = string.Join(' ', Enumerable.Range(0, 100).Select(i => "w" + i));
        string b = Edit(a, 50); // words 49 and 99 changed: unigram sets share 98 of 102
        var settings = new DeduplicatorSettings { Near = new NearDuplicateOptions { Threshold = 0.9, NgramSize = 1, NumPerm = 256 } };
        var record = Run([a, b], settings).Records.Single();
        Assert.That(record.ExactJaccard, Is.EqualTo(98.0 / 102.0).Within(1e-12));
        Assert.That(record.EstimatedJaccard, Is.EqualTo(98.0 / 102.0).Within(0.06));
    }

    [Test]
    public void Keep_longest_keeps_the_longest_row_and_keep_newest_the_greatest_key()
    {
        string?[] texts = ["Same text", "SAME   text", "same text"];
        var longest = Run(texts, new DeduplicatorSettings { Mode = DedupMode.Exact, Keep = KeepRule.Longest });
        Assert.That(longest.Clusters.Single().KeptRow, Is.EqualTo(1));
        var newest = Run(texts, new DeduplicatorSettings { Mode = DedupMode.Exact, Keep = KeepRule.Newest }, newest: [5, 3, 9]);
        Assert.That(newest.Clusters.Single().KeptRow, Is.EqualTo(2));
        Assert.That(newest.Removed, Is.EqualTo(new[] { true, true, false }));
    }

    [Test]
    public void Rows_that_copy_the_across_table_are_removed_as_contamination()
    {
        var (train, _) = TestTables.Gsm8k("gsm8k_train_300.jsonl");
        var (test, _) = TestTables.Gsm8k("gsm8k_test_100.jsonl");
        var table = train.Take(50).Cast<string?>().ToList();
        table.Add(test[7]);                // exact leak
        table.Add(EditMiddleWord(test[42])); // near leak
        var settings = new DeduplicatorSettings { Near = new NearDuplicateOptions { Threshold = 0.7, NgramSize = 3, Bands = 32, Rows = 4 } };
        var outcome = Run(table, settings, across: test);
        var leaks = outcome.Records.Where(r => r.Across).Select(r => (r.KeptRow, r.RemovedRow, r.Kind)).ToArray();
        Assert.That(leaks, Is.EqualTo(new[] { (7L, 50L, DuplicateKind.Exact), (42L, 51L, DuplicateKind.Near) }));
        Assert.That(outcome.Records.All(r => r.Across), Is.True);
        Assert.That(outcome.Records.All(r => r.ClusterId is null), Is.True);
    }

    [Test]
    public void Results_are_identical_at_one_and_many_threads()
    {
        var (questions, _) = TestTables.Gsm8k("gsm8k_train_300.jsonl");
        var texts = questions.Concat(questions.Take(40).Select(q => Edit(q, 12))).Concat(questions.Take(5)).Cast<string?>().ToArray();
        DedupOutcome RunWith(int threads) => Run(texts, new DeduplicatorSettings
        {
            Near = new NearDuplicateOptions { Threshold = 0.5, NgramSize = 2, MaxDegreeOfParallelism = threads, Seed = 3 },
        });
        var one = RunWith(1);
        var many = RunWith(4);
        Assert.That(one.Records.Count, Is.GreaterThan(40));
        Assert.That(many.Records, Is.EqualTo(one.Records));
        Assert.That(many.Clusters.Select(c => (c.Id, c.KeptRow, string.Join(',', c.Rows))),
            Is.EqualTo(one.Clusters.Select(c => (c.Id, c.KeptRow, string.Join(',', c.Rows)))));
    }

    [Test]
    public void Bad_near_settings_are_rejected_with_the_field_and_value()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new DedupSession(new DeduplicatorSettings { Near = new NearDuplicateOptions { Threshold = 1.5 } }));
        Assert.That(error!.Message, Does.StartWith("'threshold' must be between 0 and 1 (exclusive). You entered 1.5."));
    }

    [Test]
    public void In_a_chain_each_removed_row_is_reported_beside_the_kept_row_with_its_own_jaccard()
    {
        // Unigram sets: A = {w0..w9}; B = {w0..w8, x}; C = {w0..w7, x, y}.
        // J(A,B) = 9/11 ≈ 0.818, J(B,C) = 9/11 ≈ 0.818 (both ≥ 0.8), J(A,C) = 8/12 ≈ 0.667 (< 0.8):
        // C joins A's cluster only through B, so its record says so.
        string a = "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9";
        string b = "w0 w1 w2 w3 w4 w5 w6 w7 w8 x";
        string c = "w0 w1 w2 w3 w4 w5 w6 w7 x y";
        var settings = new DeduplicatorSettings { Near = new NearDuplicateOptions { Threshold = 0.8, NgramSize = 1, Seed = 1, Bands = 64, Rows = 2 } };
        var records = Run([a, b, c], settings).Records;
        Assert.That(records.Select(r => (r.KeptRow, r.RemovedRow, r.LinkedViaCluster)), Is.EqualTo(new[] { (0L, 1L, false), (0L, 2L, true) }));
        Assert.That(records[0].ExactJaccard, Is.EqualTo(9.0 / 11).Within(1e-12));
        Assert.That(records[1].ExactJaccard, Is.EqualTo(8.0 / 12).Within(1e-12));
    }
}
