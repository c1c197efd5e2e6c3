using NUnit.Framework;

namespace Pipelines.Cli.Tests;

/// <summary>
/// A corpus of broken inputs: each ends with exit code 2, a broken input file included (1 for a failing data check), one clear message naming
/// the place, no stack trace, and no change to the cache.
/// </summary>
public class BrokenInputTests
{
    private const string Good = "a,b\n1,x\n2,y\n";

    public static IEnumerable<TestCaseData> Corpus()
    {
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: d.csv}\n", Good, 2, "p.yaml:").SetName("Malformed_yaml");
        yield return new TestCaseData("name: p\nstages:\n  a: {uses: split, inputs: {table: b.train}}\n  b: {uses: split, inputs: {table: a.train}}\n", Good, 2,
            "the stages form a cycle: a -> b -> a").SetName("A_cycle");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: d.csv}}\n", "a,b\n1,x\n2\n", 2, "d.csv:3: expected 2 fields but found 1.").SetName("A_csv_with_a_bad_row");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: d.csv}}\n  v: {uses: validate, inputs: {table: i.table, schema: s.yaml}}\n", "a,b\n1,x\n200,y\n", 1,
            "violation(s) of data-schema 's'").SetName("A_schema_violation");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: d.csv}}\n", "a,b\n", 2, "d.csv: the input has no data rows.").SetName("An_empty_input");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: d.csv}}\n  b: {uses: bias, inputs: {table: i.table}, with: {label: b, sensitive: [a], thresholds: {min_group_share: 0.9}, bootstrap: 0, on_violation: fail}}\n",
            Good, 1, "stage 'b' failed: Bias check failed: ").SetName("A_failing_bias_check");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: d.csv}, with: {delimitr: \";\"}}\n", Good, 2,
            "p.yaml:3: stage 'i': unknown option 'delimitr'. Did you mean 'delimiter'?").SetName("An_unknown_stage_option");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: d.csv}, with: {row_group_size: big}}\n", Good, 2,
            "p.yaml:3: stage 'i': 'row_group_size' must be an integer. You entered 'big'.").SetName("A_wrong_type");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: missing.csv}}\n", Good, 2,
            "p.yaml:3: stage 'i': input 'source' = 'missing.csv' is neither a stage output nor an existing file").SetName("A_missing_input_file");
    }

    [TestCaseSource(nameof(Corpus))]
    public void Each_broken_input_ends_with_one_clear_message_and_leaves_the_cache_unchanged(string yaml, string csv, int expectedCode, string expectedMessage)
    {
        string root = Path.Combine(Path.GetTempPath(), "pipelines-broken", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            File.WriteAllText(Path.Combine(root, "d.csv"), csv);
            File.WriteAllText(Path.Combine(root, "s.yaml"), "name: s\ncolumns:\n  a: {type: int, max: 100}\n");
            // A warm cache from a good pipeline, to prove the broken run leaves it alone.
            File.WriteAllText(Path.Combine(root, "good.yaml"), "name: good\nstages:\n  g: {uses: ingest, inputs: {source: good.csv}}\n");
            File.WriteAllText(Path.Combine(root, "good.csv"), Good);
            Assert.That(CliProcess.Run(root, "run", "good.yaml").ExitCode, Is.EqualTo(0));
            var cacheBefore = Listing(Path.Combine(root, ".pipelines/cache"), Path.Combine(root, ".pipelines/runs-cache"));

            File.WriteAllText(Path.Combine(root, "p.yaml"), yaml);
            var (code, stdout, stderr) = CliProcess.Run(root, "run", "p.yaml");
            Assert.That(code, Is.EqualTo(expectedCode), stdout + stderr);
            Assert.That(stderr, Does.Contain(expectedMessage));
            Assert.That(stderr + stdout, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(stderr + stdout, Does.Not.Contain("Exception:"), "no exception type names");
            var cacheAfter = Listing(Path.Combine(root, ".pipelines/cache"), Path.Combine(root, ".pipelines/runs-cache"));
            if (expectedCode == 2) Assert.That(cacheAfter, Is.EqualTo(cacheBefore), "an invalid pipeline changes nothing");
            else
            {
                var log = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(root, ".pipelines/runs/latest.json")))!;
                int succeeded = log["stages"]!.AsArray().Count(s => s!["status"]!.GetValue<string>() == "ran");
                int added = cacheAfter.Count(f => f.Contains("runs-cache")) - cacheBefore.Count(f => f.Contains("runs-cache"));
                Assert.That(added, Is.EqualTo(succeeded), "only the stages that succeeded add run-cache entries; the failed one adds none");
                if (expectedMessage.Contains("Bias check failed", StringComparison.Ordinal))
                    Assert.That(File.Exists(Path.Combine(root, ".pipelines/out/p/b/report/report.html")), Is.True, "a failed data check still leaves its report");
            }
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    private static string[] Listing(params string[] directories) =>
        directories.Where(Directory.Exists).SelectMany(d => Directory.GetFiles(d, "*", SearchOption.AllDirectories)).Where(f => !f.Contains("/cache/tmp/")).Order(StringComparer.Ordinal).ToArray();
}
