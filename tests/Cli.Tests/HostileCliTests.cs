using NUnit.Framework;

namespace Pipelines.Cli.Tests;

/// <summary>
/// Hostile definitions and arguments (issue 13): each ends with its exit code and one clear message, never a stack
/// trace, well within 10 seconds.
/// </summary>
public class HostileCliTests
{
    private const string Ingest = "name: p\nstages:\n  i: {uses: ingest, inputs: {source: d.csv}}\n";

    private static string AliasBomb()
    {
        var text = new System.Text.StringBuilder("name: p\nparams:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'i'; c++)
            text.Append($"  {c}: &{c} [{string.Join(", ", Enumerable.Repeat($"*{(char)(c - 1)}", 10))}]\n");
        return text.Append("stages:\n  i: {uses: ingest, inputs: {source: d.csv}}\n").ToString();
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(AliasBomb(), new[] { "run", "p.yaml" }, 2, "p.yaml:7: invalid YAML: alias '*d' expands the document past 100,000 nodes")
            .SetName("An_alias_bomb_under_params_is_refused_naming_the_line");
        yield return new TestCaseData(Ingest, new[] { "run", "p.yaml", "--force", "j" }, 2, "--force j: p.yaml has no stage 'j'. Did you mean 'i'?")
            .SetName("A_forced_stage_that_does_not_exist_is_refused_with_a_suggestion");
        yield return new TestCaseData("name: p\nstages: {}\n", new[] { "run", "p.yaml" }, 2, "p.yaml:2: 'stages' is empty")
            .SetName("An_empty_stages_mapping_is_an_invalid_pipeline");
        yield return new TestCaseData(Ingest, new[] { "study", "show", "not-a.db" }, 2, "not a study storage")
            .SetName("Study_show_on_a_file_that_is_not_sqlite_is_an_invalid_input");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: o.jsonl}}\n", new[] { "run", "p.yaml" }, 2, "o.jsonl:2: expected a JSON object, found array.")
            .SetName("A_jsonl_line_that_is_not_an_object_names_its_line");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: q.csv}}\n", new[] { "run", "p.yaml" }, 2, "q.csv:2: a quoted field is not closed before the end of the file.")
            .SetName("A_csv_with_an_unclosed_quote_is_an_invalid_input_naming_its_line");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: r.csv}}\n", new[] { "run", "p.yaml" }, 2, "r.csv:3: expected 2 fields but found 3.")
            .SetName("A_ragged_csv_is_an_invalid_input_naming_its_line");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: g.parquet}}\n", new[] { "run", "p.yaml" }, 2, "g.parquet: not a readable Parquet file")
            .SetName("A_garbage_parquet_file_is_an_invalid_input");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: t.parquet}}\n", new[] { "run", "p.yaml" }, 2, "t.parquet: not a readable Parquet file")
            .SetName("A_truncated_parquet_file_is_an_invalid_input");
        yield return new TestCaseData("name: p\nstages:\n  i: {uses: ingest, inputs: {source: d.csv}}\n  v: {uses: validate, inputs: {table: i.table, schema: s.yaml}}\n", new[] { "run", "p.yaml" }, 1, "violation(s) of data-schema 's'")
            .SetName("A_failing_data_check_still_exits_1");
    }

    [TestCaseSource(nameof(Cases))]
    public void Each_hostile_case_ends_with_its_exit_code_and_message_and_no_stack_trace(string yaml, string[] args, int expectedCode, string expectedMessage)
    {
        string root = Path.Combine(Path.GetTempPath(), "pipelines-hostile", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            File.WriteAllText(Path.Combine(root, "p.yaml"), yaml);
            File.WriteAllText(Path.Combine(root, "d.csv"), "a,b\n1,x\n");
            File.WriteAllText(Path.Combine(root, "o.jsonl"), "{\"a\": 1}\n[1, 2]\n");
            File.WriteAllText(Path.Combine(root, "not-a.db"), "this is not a SQLite file\n");
            File.WriteAllText(Path.Combine(root, "q.csv"), "a,b\n1,\"x\n2,y\n");
            File.WriteAllText(Path.Combine(root, "r.csv"), "a,b\n1,x\n2,y,z\n");
            File.WriteAllText(Path.Combine(root, "s.yaml"), "name: s\ncolumns:\n  a: {type: int, max: 0}\n");
            File.WriteAllBytes(Path.Combine(root, "g.parquet"), "PAR1 this is not parquet at all PAR1"u8.ToArray());
            WriteTruncatedParquet(Path.Combine(root, "t.parquet"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (code, stdout, stderr) = CliProcess.Run(root, args);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
            Assert.That(code, Is.EqualTo(expectedCode), stdout + stderr);
            Assert.That(stdout + stderr, Does.Contain(expectedMessage));
            Assert.That(stderr + stdout, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(stderr + stdout, Does.Not.Contain("Exception:"), "no exception type names");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A real Parquet file cut in half: its footer is gone.</summary>
    private static void WriteTruncatedParquet(string path)
    {
        var schema = new Pipelines.Core.Tables.TableSchema([new Pipelines.Core.Tables.ColumnSchema("a", Pipelines.Core.Tables.ColumnType.Int64)]);
        var values = Enumerable.Range(0, 1000).Select(i => (long?)i).ToArray();
        Pipelines.Core.Tables.ParquetTableWriter.WriteFileAsync(path, new Pipelines.Core.Tables.TableBatch(schema, values.Length, [values])).GetAwaiter().GetResult();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
    }
}
