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
}
