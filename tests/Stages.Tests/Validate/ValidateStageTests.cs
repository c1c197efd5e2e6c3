using System.Text.Json.Nodes;
using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Stages.Tests.Support;
using Pipelines.Stages.Validate;

namespace Pipelines.Stages.Tests.Validate;

public class ValidateStageTests
{
    private StageHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new StageHarness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    private async Task<string> TableAsync()
    {
        var schema = new TableSchema([new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("sex", ColumnType.String), new ColumnSchema("age", ColumnType.Double)]);
        string path = _h.PathOf("t.parquet");
        await ParquetTableWriter.WriteFileAsync(path, new TableBatch(schema, 4, [
            new long?[] { 1, 2, 2, 4 }, new[] { "Male", "Female", "F", null }, new double?[] { 30, 12, 45, 200 }]));
        return path;
    }

    [Test]
    public async Task Every_broken_rule_becomes_a_violation_row_and_the_stage_fails_after_writing_them()
    {
        string schema = _h.Write("s.yaml", """
            name: people
            rows: {min: 5}
            columns:
              id: {type: int, unique: true}
              sex: {type: string, nullable: false, allowed: [Male, Female]}
              age: {type: double, min: 17, max: 90}
            """);
        var table = await TableAsync();
        var ex = Assert.ThrowsAsync<DataCheckFailedException>(() => _h.RunAsync(new ValidateStage(), "{}", new Dictionary<string, string> { ["table"] = table, ["schema"] = schema }));
        Assert.That(ex!.Message, Does.StartWith("6 violation(s) of data-schema 'people' (allowed × 1, max × 1, min × 1, min_rows × 1, nullable × 1, unique × 1)"));
        var run = Directory.GetDirectories(_h.Root, "run-*").Single();
        var violations = await ParquetTableReader.ReadFileAsync(Path.Combine(run, "out", "violations.parquet"));
        var rules = Enumerable.Range(0, violations.RowCount).Select(r => ((long)violations.Column<long>("row")[r]!, violations.StringColumn("rule")[r])).ToArray();
        Assert.That(rules, Is.EquivalentTo(new[] { (2L, "unique"), (2L, "allowed"), (3L, "nullable"), (1L, "min"), (3L, "max"), (-1L, "min_rows") }));
        Assert.That(File.ReadAllText(Path.Combine(run, "out", "report", "report.html")), Does.Contain("Violations by rule"));
    }

    [Test]
    public async Task A_table_that_keeps_every_rule_passes_through_unchanged()
    {
        string schema = _h.Write("s.yaml", "columns:\n  id: int\n  age: {type: double, max: 500}\n");
        var table = await TableAsync();
        var (outputs, summary) = await _h.RunAsync(new ValidateStage(), "{}", new Dictionary<string, string> { ["table"] = table, ["schema"] = schema });
        Assert.That(summary["violations"], Is.EqualTo(0L));
        var copy = await ParquetTableReader.ReadFileAsync(outputs["table"]);
        Assert.That(copy.Column<long>("id"), Is.EqualTo(new long?[] { 1, 2, 2, 4 }));
    }

    [Test]
    public async Task A_missing_column_and_a_wrong_type_are_reported_without_failing_when_told_not_to()
    {
        string schema = _h.Write("s.yaml", "columns:\n  income: string\n  sex: int\n");
        var (outputs, summary) = await _h.RunAsync(new ValidateStage(), "{\"fail_on_violation\": false}", new Dictionary<string, string> { ["table"] = await TableAsync(), ["schema"] = schema });
        var violations = await ParquetTableReader.ReadFileAsync(outputs["violations"]);
        Assert.That(violations.StringColumn("message"), Is.EqualTo(new[] { "column 'income' is missing.", "column 'sex' is string, expected int64." }));
    }

    [Test]
    public void A_schema_file_with_an_unknown_rule_or_type_is_a_user_error_naming_the_line()
    {
        string schema = _h.Write("bad.yaml", "columns:\n  a: {type: integer, maximum: 3}\n  b: {type: float4}\n");
        var ex = Assert.Throws<UserInputException>(() => Pipelines.Core.Schemas.DataSchemaLoader.Load(schema));
        Assert.That(ex!.Message, Does.Contain("bad.yaml:2: column 'a': unknown rule 'maximum'."));
        Assert.That(ex.Message, Does.Contain("bad.yaml:3: column 'b': 'type' must be bool, int, double, string or timestamp, not 'float4'."));
    }

    [Test]
    public void A_schema_that_no_table_can_satisfy_or_with_a_mistyped_key_is_a_user_error_naming_the_line()
    {
        string schema = _h.Write("bad.yaml", "name: s\nextra_colums: false\nrows: {min: 10, max: 5}\ncolumns:\n  a: {type: int, min: 9, max: 3}\n  b: {type: string, nulable: false, max_length: -1}\n");
        var ex = Assert.Throws<UserInputException>(() => Pipelines.Core.Schemas.DataSchemaLoader.Load(schema))!;
        Assert.That(ex.Message.Split(Environment.NewLine), Is.EquivalentTo(new[]
        {
            $"{schema}:2: unknown key 'extra_colums'. Did you mean 'extra_columns'? Keys: name, description, license, source, rows, extra_columns, columns.",
            $"{schema}:3: 'rows': min 10 is greater than max 5; no table can satisfy both.",
            $"{schema}:5: column 'a': min 9 is greater than max 3; no value can satisfy both.",
            $"{schema}:6: column 'b': unknown rule 'nulable'. Did you mean 'nullable'? Rules: type, nullable, min, max, allowed, pattern, unique, max_length, description.",
            $"{schema}:6: column 'b': 'max_length' must be 0 or more, not -1.",
        }));
    }

    private async Task<(JsonNode Json, string Html)> ReportAsync(string schemaYaml, TableBatch table)
    {
        string path = _h.PathOf("hand.parquet");
        await ParquetTableWriter.WriteFileAsync(path, table);
        var (outputs, _) = await _h.RunAsync(new ValidateStage(), "{\"fail_on_violation\": false}",
            new Dictionary<string, string> { ["table"] = path, ["schema"] = _h.Write("s.yaml", schemaYaml) });
        return (JsonNode.Parse(File.ReadAllText(Path.Combine(outputs["report"], "report.json")))!, File.ReadAllText(Path.Combine(outputs["report"], "report.html")));
    }

    private static (string Column, string Rule, string? Value, long Count, long[] FirstRows)[] Groups(JsonNode report) =>
        report["groups"]!["list"]!.AsArray().Select(g => (g!["column"]!.GetValue<string>(), g["rule"]!.GetValue<string>(), g["value"]?.GetValue<string>(),
            g["count"]!.GetValue<long>(), g["first_rows"]!.AsArray().Select(r => r!.GetValue<long>()).ToArray())).ToArray();

    [Test]
    public async Task Violations_are_grouped_by_column_rule_and_value_with_counts_and_their_first_rows_counted_from_one()
    {
        var schema = new TableSchema([new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("sex", ColumnType.String), new ColumnSchema("age", ColumnType.Double)]);
        // Data rows 1..6 (1 = first data row).
        var table = new TableBatch(schema, 6, [
            new long?[] { 1, 2, 2, 3, 2, 5 },
            new[] { "Male", "F", "F", "M", null, "F" },
            new double?[] { 30, 12, 45, 200, 12, 95 }]);
        var (report, html) = await ReportAsync("columns:\n  id: {type: int, unique: true}\n  sex: {type: string, nullable: false, allowed: [Male, Female]}\n  age: {type: double, min: 17, max: 90}\n", table);

        // By hand: id 2 repeats on rows 3 and 5; "F" on rows 2, 3, 6; "M" on 4; null sex on 5; age 12 on 2 and 5; 200 on 4; 95 on 6.
        Assert.That(Groups(report), Is.EqualTo(new (string, string, string?, long, long[])[]
        {
            ("sex", "allowed", "F", 3, [2, 3, 6]),
            ("age", "min", "12", 2, [2, 5]),
            ("id", "unique", "2", 2, [3, 5]),
            ("age", "max", "200", 1, [4]),
            ("age", "max", "95", 1, [6]),
            ("sex", "allowed", "M", 1, [4]),
            ("sex", "nullable", null, 1, [5]),
        }));
        Assert.That(report["violations"]!.GetValue<long>(), Is.EqualTo(11));
        Assert.That(report["profile"], Is.Null, "the profile is shown only when every rule holds");
        Assert.That(html, Does.Contain("<td>sex</td><td>allowed</td><td>F</td><td class=\"num\" data-sort=\"3\">3</td><td>2, 3, 6</td>"));
        Assert.That(html, Does.Contain("first rows (1 = first data row)"));
    }

    [Test]
    public async Task A_large_group_keeps_its_full_count_and_only_its_first_five_rows()
    {
        var schema = new TableSchema([new ColumnSchema("sex", ColumnType.String)]);
        var table = new TableBatch(schema, 8, [new[] { "Male", "F", "F", "F", "Female", "F", "F", "F" }]);
        var (report, _) = await ReportAsync("columns:\n  sex: {type: string, allowed: [Male, Female]}\n", table);
        Assert.That(Groups(report), Is.EqualTo(new (string, string, string?, long, long[])[] { ("sex", "allowed", "F", 6, [2, 3, 4, 6, 7]) }));
    }

    [Test]
    public async Task When_every_rule_holds_the_report_profiles_each_column()
    {
        var schema = new TableSchema([new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("name", ColumnType.String),
            new ColumnSchema("score", ColumnType.Double), new ColumnSchema("flag", ColumnType.Boolean)]);
        var table = new TableBatch(schema, 4, [
            new long?[] { 3, 1, 3, null }, new[] { "b", "a", "b", "b" }, new double?[] { 1.5, null, -2, 1.5 }, new bool?[] { true, false, true, true }]);
        var (report, html) = await ReportAsync("columns:\n  id: int\n", table);

        var profile = report["profile"]!.AsArray().ToDictionary(p => p!["column"]!.GetValue<string>(), p => p!);
        Assert.That(profile.Keys, Is.EqualTo(new[] { "id", "name", "score", "flag" }));
        // By hand: id {3, 1, 3, null}; name {b, a, b, b}; score {1.5, null, -2, 1.5}; flag {true, false, true, true}.
        AssertProfile(profile["id"], "int64", nulls: 1, distinct: 2);
        Assert.That((profile["id"]["min"]!.GetValue<long>(), profile["id"]["max"]!.GetValue<long>()), Is.EqualTo((1L, 3L)));
        AssertProfile(profile["name"], "string", nulls: 0, distinct: 2, ("b", 3), ("a", 1));
        Assert.That(profile["name"]["min"], Is.Null);
        AssertProfile(profile["score"], "double", nulls: 1, distinct: 2);
        Assert.That((profile["score"]["min"]!.GetValue<double>(), profile["score"]["max"]!.GetValue<double>()), Is.EqualTo((-2.0, 1.5)));
        AssertProfile(profile["flag"], "bool", nulls: 0, distinct: 2, ("true", 3), ("false", 1));
        Assert.That(report["groups"], Is.Null);
        Assert.That(html, Does.Contain("<td>name</td><td>string</td><td class=\"num\" data-sort=\"0\">0</td><td>2</td><td></td><td></td><td>b (3), a (1)</td>"));
    }

    private static void AssertProfile(JsonNode column, string type, long nulls, long distinct, params (string Value, long Count)[] mostCommon)
    {
        Assert.That(column["type"]!.GetValue<string>(), Is.EqualTo(type));
        Assert.That(column["nulls"]!.GetValue<long>(), Is.EqualTo(nulls));
        Assert.That(column["distinct"]!.GetValue<long>(), Is.EqualTo(distinct));
        Assert.That(column["distinct_is_lower_bound"]!.GetValue<bool>(), Is.False);
        Assert.That(column["most_common"]!.AsArray().Select(m => (m!["value"]!.GetValue<string>(), m["count"]!.GetValue<long>())), Is.EqualTo(mostCommon));
    }

    [TestCase(65536)]
    [TestCase(1)]
    public async Task Violations_of_a_table_that_ingest_read_are_shown_at_the_lines_of_the_source_file(int rowGroupSize)
    {
        // Line 1 is the header; line 4 is blank; the record on lines 5-6 holds a quoted line break; line 7 has too few
        // fields and is skipped. So the rows begin on lines 2, 3, 5 and 8, and the ages 5 (line 3) and 300 (line 8) break the rules.
        string csv = _h.Write("people.csv", "id,age,note\n1,30,ok\n2,5,young\n\n3,40,\"two\nlines\"\n4,50\n5,300,old\n");
        var (ingested, _) = await _h.RunAsync(new Pipelines.Stages.Ingest.IngestStage(), $"{{\"on_bad_rows\": \"skip\", \"row_group_size\": {rowGroupSize}}}", new Dictionary<string, string> { ["source"] = csv });
        string schema = _h.Write("s.yaml", "columns:\n  id: int\n  age: {type: int, min: 17, max: 90}\n  note: string\n");
        var ex = Assert.ThrowsAsync<DataCheckFailedException>(() => _h.RunAsync(new ValidateStage(), "{}", new Dictionary<string, string> { ["table"] = ingested["table"], ["schema"] = schema }));
        Assert.That(ex!.Message, Does.Contain("first: people.csv:3: row 1: 'age' is 5, below the minimum 17."));

        var run = Directory.GetDirectories(_h.Root, "run-*").OrderBy(Directory.GetCreationTimeUtc).Last();
        var violations = await ParquetTableReader.ReadFileAsync(Path.Combine(run, "out", "violations.parquet"));
        Assert.That(violations.Column<long>("line"), Is.EqualTo(new long?[] { 3, 8 }));
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "out", "report", "report.json")))!["groups"]!;
        Assert.That(report["lines_of"]!.GetValue<string>(), Is.EqualTo("people.csv"));
        var firstLines = report["list"]!.AsArray().ToDictionary(g => g!["rule"]!.GetValue<string>(), g => g!["first_lines"]!.AsArray().Select(l => l!.GetValue<long>()).ToArray());
        Assert.That(firstLines["min"], Is.EqualTo(new[] { 3L }));
        Assert.That(firstLines["max"], Is.EqualTo(new[] { 8L }));
        Assert.That(File.ReadAllText(Path.Combine(run, "out", "report", "report.html")), Does.Contain("first lines of people.csv"));
    }

    [Test]
    public async Task A_jsonl_table_keeps_its_lines_too()
    {
        string jsonl = _h.Write("people.jsonl", "{\"age\": 30}\n\n{\"age\": 300}\n");
        var (ingested, _) = await _h.RunAsync(new Pipelines.Stages.Ingest.IngestStage(), "{}", new Dictionary<string, string> { ["source"] = jsonl });
        await using var reader = await ParquetTableReader.OpenAsync(ingested["table"]);
        var lines = SourceLines.From(reader.Metadata)!;
        Assert.That(new[] { lines.LineOf(0), lines.LineOf(1) }, Is.EqualTo(new long?[] { 1, 3 }));
    }
}
