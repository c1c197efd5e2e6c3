using DuckDB.NET.Data;
using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Stages.Ingest;
using Pipelines.Stages.Tests.Support;

namespace Pipelines.Stages.Tests.Ingest;

public class IngestStageTests
{
    private StageHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new StageHarness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    private async Task<TableBatch> IngestAsync(string source, string with = "{}", string? schema = null)
    {
        var inputs = new Dictionary<string, string> { ["source"] = source };
        if (schema is not null) inputs["schema"] = schema;
        var (outputs, _) = await _h.RunAsync(new IngestStage(), with, inputs);
        return await ParquetTableReader.ReadFileAsync(outputs["table"]);
    }

    [Test]
    public async Task Csv_column_types_and_nulls_are_inferred_from_every_row()
    {
        string csv = _h.Write("t.csv", "id,score,flag,when,name\n1,2,true,2024-01-02,a\n2,2.5,false,2024-01-03T04:05:06Z,\n3,NA,,,\"c, d\"\n");
        var table = await IngestAsync(csv);
        Assert.That(table.Schema.Columns.Select(c => c.Type), Is.EqualTo(new[] { ColumnType.Int64, ColumnType.Double, ColumnType.Boolean, ColumnType.Timestamp, ColumnType.String }));
        Assert.That(table.Column<double>("score"), Is.EqualTo(new double?[] { 2, 2.5, null }));
        Assert.That(table.Column<bool>("flag"), Is.EqualTo(new bool?[] { true, false, null }));
        Assert.That(table.Column<DateTime>("when")[1], Is.EqualTo(new DateTime(2024, 1, 3, 4, 5, 6, DateTimeKind.Utc)));
        Assert.That(table.StringColumn("name"), Is.EqualTo(new[] { "a", null, "c, d" }));
    }

    [Test]
    public async Task A_late_row_that_widens_a_column_beyond_the_sample_makes_ingest_reinfer_from_every_row()
    {
        var lines = string.Join("\n", Enumerable.Range(0, 5000).Select(i => $"{i}")) + "\n5000.5\n";
        var table = await IngestAsync(_h.Write("t.csv", "x\n" + lines), "{\"infer_rows\": 100, \"row_group_size\": 1000}");
        Assert.That(table.RowCount, Is.EqualTo(5001));
        Assert.That(table.Schema.Columns[0].Type, Is.EqualTo(ColumnType.Double));
        Assert.That(table.Column<double>("x")[^1], Is.EqualTo(5000.5));
    }

    [Test]
    public async Task Rows_are_written_in_row_groups_of_the_given_size()
    {
        string csv = _h.Write("t.csv", "x\n" + string.Join("\n", Enumerable.Range(0, 250)) + "\n");
        var (outputs, summary) = await _h.RunAsync(new IngestStage(), "{\"row_group_size\": 100}", new Dictionary<string, string> { ["source"] = csv });
        await using var reader = await ParquetTableReader.OpenAsync(outputs["table"]);
        Assert.That(reader.RowGroupCount, Is.EqualTo(3));
        Assert.That(reader.RowCount, Is.EqualTo(250));
        Assert.That(summary["rows_out"], Is.EqualTo(250L));
    }

    [Test]
    public void A_row_with_the_wrong_number_of_fields_fails_naming_file_and_line()
    {
        string csv = _h.Write("bad.csv", "a,b\n1,2\n3\n4,5\n");
        var ex = Assert.ThrowsAsync<UserInputException>(() => IngestAsync(csv));
        Assert.That(ex!.Message, Is.EqualTo("bad.csv:3: expected 2 fields but found 1."));
    }

    [Test]
    public void A_bad_row_in_a_later_chunk_names_its_line_in_the_whole_file()
    {
        // One-row chunks, with multi-line quoted fields before the bad row so chunk-local counting would be off.
        string csv = _h.Write("bad.csv", "a,b\n1,\"x\ny\"\n2,\"p\r\nq\"\n3,z\n4\n5,w\n");
        var ex = Assert.ThrowsAsync<UserInputException>(() => IngestAsync(csv, "{\"row_group_size\": 1}"));
        Assert.That(ex!.Message, Is.EqualTo("bad.csv:7: expected 2 fields but found 1."));
    }

    [Test]
    public async Task The_written_table_is_byte_identical_whatever_the_number_of_parsing_threads()
    {
        var random = new Random(5);
        var text = new System.Text.StringBuilder("id,name,score\n");
        for (int i = 0; i < 3000; i++)
            text.Append(i).Append(',').Append(random.Next(4) == 0 ? $"\"n,{i}\nx\"" : $"n{i % 7}").Append(',').Append(random.Next(5) == 0 ? "" : (random.NextDouble() * 100).ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        string csv = _h.Write("t.csv", text.ToString());
        var bytes = new List<byte[]>();
        try
        {
            foreach (int workers in new[] { 1, 2, 5 })
            {
                CsvIngestion.WorkersOverride = workers;
                var (outputs, summary) = await _h.RunAsync(new IngestStage(), "{\"row_group_size\": 128}", new Dictionary<string, string> { ["source"] = csv });
                Assert.That(summary["rows_out"], Is.EqualTo(3000L));
                bytes.Add(await File.ReadAllBytesAsync(outputs["table"]));
            }
        }
        finally
        {
            CsvIngestion.WorkersOverride = null;
        }
        Assert.That(bytes[1], Is.EqualTo(bytes[0]));
        Assert.That(bytes[2], Is.EqualTo(bytes[0]));
        string first = _h.PathOf("first.parquet");
        await File.WriteAllBytesAsync(first, bytes[0]);
        var table = await ParquetTableReader.ReadFileAsync(first);
        Assert.That(table.Column<long>("id"), Is.EqualTo(Enumerable.Range(0, 3000).Select(i => (long?)i)));
    }

    [Test]
    public async Task A_utf16_file_is_read_by_the_single_thread_path()
    {
        string path = _h.PathOf("u16.csv");
        await File.WriteAllTextAsync(path, "name,n\nZürich,1\n\"a\nb\",2\n", new System.Text.UnicodeEncoding(bigEndian: false, byteOrderMark: true));
        var table = await IngestAsync(path, "{\"encoding\": \"utf-16\", \"row_group_size\": 1}");
        Assert.That(table.StringColumn("name"), Is.EqualTo(new[] { "Zürich", "a\nb" }));
        Assert.That(table.Column<long>("n"), Is.EqualTo(new long?[] { 1, 2 }));
    }

    [Test]
    public async Task With_skip_bad_rows_are_dropped_and_counted()
    {
        string csv = _h.Write("bad.csv", "a,b\n1,2\n3\n4,5\n");
        var (outputs, summary) = await _h.RunAsync(new IngestStage(), "{\"on_bad_rows\": \"skip\"}", new Dictionary<string, string> { ["source"] = csv });
        var table = await ParquetTableReader.ReadFileAsync(outputs["table"]);
        Assert.That(table.Column<long>("a"), Is.EqualTo(new long?[] { 1, 4 }));
        Assert.That(summary["bad_rows"], Is.EqualTo(1L));
    }

    [Test]
    public void A_value_that_breaks_the_declared_schema_names_file_line_and_column()
    {
        string schema = _h.Write("s.yaml", "columns:\n  a: int\n  b: {type: string}\n");
        string csv = _h.Write("d.csv", "a,b\n1,x\ntwo,y\n");
        var ex = Assert.ThrowsAsync<UserInputException>(() => IngestAsync(csv, schema: schema));
        Assert.That(ex!.Message, Is.EqualTo("d.csv:3: column 'a': 'two' is not an integer."));
    }

    [Test]
    public async Task Columns_the_schema_does_not_declare_are_kept_after_the_declared_ones_so_validate_can_judge_them()
    {
        string schema = _h.Write("s.yaml", "extra_columns: false\ncolumns:\n  b: {type: string}\n  a: int\n");
        string csv = _h.Write("d.csv", "a,extra,b\n1,7,x\n2,,y\n");
        var table = await IngestAsync(csv, schema: schema);
        Assert.That(table.Schema.Columns.Select(c => (c.Name, c.Type)), Is.EqualTo(new[] { ("b", ColumnType.String), ("a", ColumnType.Int64), ("extra", ColumnType.String) }));
        Assert.That(table.StringColumn("extra"), Is.EqualTo(new[] { "7", null }), "kept as text, nulls as usual");

        var (outputs, _) = await _h.RunAsync(new IngestStage(), "{}", new Dictionary<string, string> { ["source"] = csv, ["schema"] = schema });
        var ex = Assert.ThrowsAsync<DataCheckFailedException>(() => _h.RunAsync(new Pipelines.Stages.Validate.ValidateStage(), "{}",
            new Dictionary<string, string> { ["table"] = outputs["table"], ["schema"] = schema }));
        Assert.That(ex!.Message, Does.Contain("extra"), "extra_columns: false now sees the column");

        string jsonl = _h.Write("d.jsonl", "{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2, \"b\": \"y\", \"score\": 0.5}\n");
        table = await IngestAsync(jsonl, schema: schema);
        Assert.That(table.Schema.Columns.Select(c => (c.Name, c.Type)), Is.EqualTo(new[] { ("b", ColumnType.String), ("a", ColumnType.Int64), ("score", ColumnType.Double) }),
            "an undeclared JSON key keeps its inferred type");
        Assert.That(table.Column<double>("score"), Is.EqualTo(new double?[] { null, 0.5 }));
    }

    [Test]
    public async Task Bytes_that_are_not_utf8_are_counted_and_warned_about_or_stop_the_stage_naming_the_line()
    {
        // Line 3 holds 0xFF (never valid in UTF-8) and line 4 a truncated two-byte sequence (0xC3 then a comma).
        byte[] bytes = [.. "name,n\nok,1\n"u8, (byte)'a', 0xFF, (byte)'b', .. ",2\nc"u8, 0xC3, .. ",3\n"u8];
        string csv = _h.PathOf("bad.csv");
        File.WriteAllBytes(csv, bytes);
        string jsonl = _h.PathOf("bad.jsonl");
        File.WriteAllBytes(jsonl, [.. "{\"name\": \"ok\"}\n{\"name\": \"a"u8, 0xFF, .. "\"}\n"u8]);

        var (outputs, summary) = await _h.RunAsync(new IngestStage(), "{}", new Dictionary<string, string> { ["source"] = csv });
        Assert.That(summary["encoding_errors"], Is.EqualTo(2L), "two invalid sequences, counted by hand");
        var table = await ParquetTableReader.ReadFileAsync(outputs["table"]);
        Assert.That(table.StringColumn("name"), Is.EqualTo(new[] { "ok", "a\uFFFDb", "c\uFFFD" }));

        var ex = Assert.ThrowsAsync<UserInputException>(() => _h.RunAsync(new IngestStage(), "{\"encoding_errors\": \"fail\"}", new Dictionary<string, string> { ["source"] = csv }));
        Assert.That(ex!.Message, Does.StartWith("bad.csv:3: bytes FF are not valid UTF-8 (encoding_errors: fail)."));
        ex = Assert.ThrowsAsync<UserInputException>(() => _h.RunAsync(new IngestStage(), "{\"encoding_errors\": \"fail\"}", new Dictionary<string, string> { ["source"] = jsonl }));
        Assert.That(ex!.Message, Does.StartWith("bad.jsonl:2: bytes FF are not valid UTF-8"));

        (_, summary) = await _h.RunAsync(new IngestStage(), "{\"encoding\": \"latin1\", \"encoding_errors\": \"fail\"}", new Dictionary<string, string> { ["source"] = csv });
        Assert.That(summary["encoding_errors"], Is.EqualTo(0L), "every byte is a latin1 character");
    }

    [Test]
    public void An_empty_input_is_a_clear_error()
    {
        var ex = Assert.ThrowsAsync<UserInputException>(() => IngestAsync(_h.Write("e.csv", "a,b\n")));
        Assert.That(ex!.Message, Does.EndWith("e.csv: the input has no data rows."));
    }

    [Test]
    public async Task Headerless_files_take_names_from_columns_and_custom_missing_markers()
    {
        string data = _h.Write("adult.data", "39, State-gov, 77516\n50, ?, 83311\n");
        var table = await IngestAsync(data, "{\"header\": false, \"trim\": true, \"na_values\": [\"?\"], \"columns\": [\"age\", \"workclass\", \"fnlwgt\"]}");
        Assert.That(table.StringColumn("workclass"), Is.EqualTo(new[] { "State-gov", null }));
        Assert.That(table.Column<long>("fnlwgt"), Is.EqualTo(new long?[] { 77516, 83311 }));
    }

    [Test]
    public async Task Jsonl_objects_become_typed_columns_and_bad_lines_name_their_line()
    {
        string jsonl = _h.Write("t.jsonl", "{\"q\": \"a\", \"n\": 1, \"x\": 1.5}\n{\"q\": \"b\", \"n\": 2, \"tags\": [1]}\n");
        var table = await IngestAsync(jsonl);
        Assert.That(table.Schema.Columns.Select(c => (c.Name, c.Type)), Is.EqualTo(new[] { ("q", ColumnType.String), ("n", ColumnType.Int64), ("x", ColumnType.Double), ("tags", ColumnType.String) }));
        Assert.That(table.StringColumn("tags"), Is.EqualTo(new[] { null, "[1]" }));

        string bad = _h.Write("bad.jsonl", "{\"q\": 1}\n{\"q\": \n");
        var ex = Assert.ThrowsAsync<UserInputException>(() => IngestAsync(bad));
        Assert.That(ex!.Message, Does.StartWith("bad.jsonl:2: invalid JSON"));
    }

    [TestCase("snappy")]
    [TestCase("gzip")]
    [TestCase("zstd")]
    [TestCase("uncompressed")]
    public async Task Parquet_written_by_duckdb_is_read_with_its_types_and_nulls(string codec)
    {
        string path = _h.PathOf($"duck-{codec}.parquet");
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT i::INTEGER AS small, i::BIGINT * 1000000000 AS big, i / 4.0 AS ratio, i::FLOAT AS f, " +
                                  $"CASE WHEN i % 3 = 0 THEN NULL ELSE 'cat' || (i % 2) END AS label, i % 2 = 0 AS even, " +
                                  $"DATE '2024-01-01' + i::INTEGER AS day FROM range(10) t(i)) TO '{path}' (FORMAT parquet, COMPRESSION {codec})";
            command.ExecuteNonQuery();
        }
        var table = await IngestAsync(path);
        Assert.That(table.Schema.Columns.Select(c => c.Type), Is.EqualTo(new[]
            { ColumnType.Int64, ColumnType.Int64, ColumnType.Double, ColumnType.Double, ColumnType.String, ColumnType.Boolean, ColumnType.Timestamp }));
        Assert.That(table.Column<long>("big")[3], Is.EqualTo(3_000_000_000L));
        Assert.That(table.Column<double>("ratio")[2], Is.EqualTo(0.5));
        Assert.That(table.StringColumn("label").Take(4), Is.EqualTo(new[] { null, "cat1", "cat0", null }));
        Assert.That(table.Column<DateTime>("day")[1], Is.EqualTo(new DateTime(2024, 1, 2)));
    }
}
