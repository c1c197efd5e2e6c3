using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using ParquetSharp;
using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Stages.Ingest;
using Pipelines.Stages.Tests.Support;

namespace Pipelines.Stages.Tests.Ingest;

/// <summary>
/// Parquet files as other tools write them (DuckDB, Arrow's C++ writer through ParquetSharp): nested, binary, decimal,
/// unsigned, INT96 and DataPage V2 columns are read, and a damaged file is an input error naming it.
/// </summary>
public class IngestParquetInteropTests
{
    private StageHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new StageHarness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    private async Task<TableBatch> IngestAsync(string source)
    {
        var (outputs, _) = await _h.RunAsync(new IngestStage(), "{}", new Dictionary<string, string> { ["source"] = source });
        return await ParquetTableReader.ReadFileAsync(outputs["table"]);
    }

    private static void Duck(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string DuckScalar(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [Test]
    public async Task Nested_values_are_json_text_that_equals_duckdbs_own_json_of_them()
    {
        string path = _h.PathOf("nested.parquet");
        Duck($"COPY (SELECT * FROM (VALUES (1, [1, 2, 3], {{'a': 1, 'b': 'x'}}, MAP {{'k': 2, 'z': 3}}, [{{'p': [true, NULL]}}]), " +
             $"(2, NULL, NULL, NULL, [])) t(id, l, s, m, deep)) TO '{path}' (FORMAT parquet)");
        var table = await IngestAsync(path);
        Assert.That(table.Schema.Columns.Select(c => c.Type), Is.EqualTo(new[] { ColumnType.Int64, ColumnType.String, ColumnType.String, ColumnType.String, ColumnType.String }));
        foreach (var column in new[] { "l", "s", "m", "deep" })
        {
            string expected = DuckScalar($"SELECT to_json({column})::VARCHAR FROM '{path}' WHERE id = 1");
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(table.StringColumn(column)[0]!), JsonNode.Parse(expected)), Is.True, $"{column}: {table.StringColumn(column)[0]} vs DuckDB's {expected}");
        }
        Assert.That(table.StringColumn("l")[1], Is.Null);
        Assert.That(table.StringColumn("deep")[1], Is.EqualTo("[]"));
    }

    [Test]
    public async Task Binary_decimal_unsigned_and_timestamp_columns_keep_their_values()
    {
        string path = _h.PathOf("scalars.parquet");
        Duck($"COPY (SELECT 'abc'::BLOB AS b, 12345.67::DECIMAL(10,2) AS d, 4000000000::UINTEGER AS u, " +
             $"TIMESTAMP '2020-01-02 03:04:05.123456' AS t, TIMESTAMPTZ '2021-06-01 12:00:00+02' AS tz, TIME '13:14:15' AS hms) TO '{path}' (FORMAT parquet)");
        var table = await IngestAsync(path);
        Assert.That(table.StringColumn("b")[0], Is.EqualTo("YWJj"), "base64 of the bytes 'abc'");
        Assert.That(table.Column<double>("d")[0], Is.EqualTo(12345.67));
        Assert.That(table.Column<long>("u")[0], Is.EqualTo(4_000_000_000L));
        Assert.That(table.Column<DateTime>("t")[0], Is.EqualTo(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_560)));
        Assert.That(table.Column<DateTime>("tz")[0], Is.EqualTo(new DateTime(2021, 6, 1, 10, 0, 0, DateTimeKind.Utc)));
        Assert.That(table.StringColumn("hms")[0], Is.EqualTo("13:14:15"));
    }

    [Test]
    public async Task Int96_timestamps_and_data_page_v2_from_arrows_cpp_writer_are_read()
    {
        string path = _h.PathOf("spark.parquet");
        var moments = new[] { new DateTime(2019, 5, 6, 7, 8, 9, DateTimeKind.Utc), new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc) };
        using (var properties = new WriterPropertiesBuilder().DataPageVersion(ParquetDataPageVersion.V2).Build())
        using (var writer = new ParquetFileWriter(path, new Column[] { new Column<Int96>("when"), new Column<int?>("n") }, properties))
        {
            using var group = writer.AppendRowGroup();
            using (var when = group.NextColumn().LogicalWriter<Int96>()) when.WriteBatch(moments.Select(ToInt96).ToArray());
            using (var n = group.NextColumn().LogicalWriter<int?>()) n.WriteBatch([1, null]);
            writer.Close();
        }
        var table = await IngestAsync(path);
        Assert.That(table.Schema.Get("when").Type, Is.EqualTo(ColumnType.Timestamp));
        Assert.That(table.Column<DateTime>("when"), Is.EqualTo(moments.Select(m => (DateTime?)m)));
        Assert.That(table.Column<long>("n"), Is.EqualTo(new long?[] { 1, null }));
    }

    [Test]
    public async Task A_float_list_column_stays_a_vector_as_the_embed_stage_writes_it()
    {
        string path = _h.PathOf("vectors.parquet");
        Duck($"COPY (SELECT i AS id, CASE WHEN i = 1 THEN NULL ELSE [i::FLOAT, 0.5::FLOAT] END AS v FROM range(3) t(i)) TO '{path}' (FORMAT parquet)");
        var table = await IngestAsync(path);
        Assert.That(table.Schema.Get("v").Type, Is.EqualTo(ColumnType.FloatList));
        Assert.That((float[]?[])table.Column(1), Is.EqualTo(new[] { [0f, 0.5f], null, new[] { 2f, 0.5f } }));
    }

    [Test]
    public void A_truncated_file_is_an_input_error_naming_it()
    {
        string path = _h.PathOf("cut.parquet");
        Duck($"COPY (SELECT range AS i, 'x' || range AS s FROM range(1000)) TO '{path}' (FORMAT parquet)");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)].Concat(bytes[^8..]).ToArray()); // footer length and magic kept, body cut
        var ex = Assert.ThrowsAsync<InvalidDataException>(() => IngestAsync(path));
        Assert.That(ex!.Message, Does.StartWith("cut.parquet: "));
    }

    /// <summary>Spark's legacy layout: nanoseconds of the day, then the Julian day number.</summary>
    private static Int96 ToInt96(DateTime moment)
    {
        long julianDay = (long)(moment.Date - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalDays + 2_440_588;
        long nanos = moment.TimeOfDay.Ticks * 100;
        return new Int96((int)(nanos & 0xFFFFFFFF), (int)(nanos >> 32), (int)julianDay);
    }
}
