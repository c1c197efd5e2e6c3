using DuckDB.NET.Data;
using NUnit.Framework;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Tests.Dedup;

/// <summary>The list&lt;float&gt; column that embeddings travel in, checked against DuckDB as an independent Parquet reader and writer.</summary>
public class FloatListColumnTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "pipelines-floatlist", Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public async Task A_float_list_column_written_here_is_read_by_duckdb_with_its_values_nulls_and_empty_lists()
    {
        var schema = new TableSchema([new ColumnSchema("id", ColumnType.Int64, Nullable: false), new ColumnSchema("v", ColumnType.FloatList)]);
        int n = 1000;
        var vectors = Enumerable.Range(0, n).Select(i => i == 5 ? null : i == 6 ? [] : new[] { i, i + 0.5f, -i }).ToArray();
        var table = new TableBatch(schema, n, [Enumerable.Range(0, n).Select(i => (long?)i).ToArray(), vectors]);
        string path = Path.Combine(_dir, "v.parquet");
        await ParquetTableWriter.WriteFileAsync(path, table, rowGroupSize: 300);

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*), sum(len(v))::BIGINT, count(v), sum(v[2]::DOUBLE) FILTER (WHERE len(v) = 3), max(v[3])::DOUBLE FROM '{path}'";
        using (var reader = command.ExecuteReader())
        {
            Assert.That(reader.Read());
            double expectedSum = Enumerable.Range(0, n).Where(i => i is not 5 and not 6).Sum(i => i + 0.5);
            Assert.Multiple(() =>
            {
                Assert.That(reader.GetInt64(0), Is.EqualTo(n));
                Assert.That(Convert.ToInt64(reader.GetValue(1)), Is.EqualTo(3 * (n - 2)));
                Assert.That(reader.GetInt64(2), Is.EqualTo(n - 1), "one null list");
                Assert.That(Convert.ToDouble(reader.GetValue(3)), Is.EqualTo(expectedSum).Within(1e-6));
                Assert.That(Convert.ToDouble(reader.GetValue(4)), Is.EqualTo(0.0));
            });
        }

        command.CommandText = $"SELECT typeof(v) FROM '{path}' LIMIT 1";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("FLOAT[]"));

        var back = await ParquetTableReader.ReadFileAsync(path);
        Assert.That(back.Schema.Columns[1].Type, Is.EqualTo(ColumnType.FloatList));
        Assert.That((float[]?[])back.Column(1), Is.EqualTo(vectors));
    }

    [Test]
    public async Task A_float_list_column_written_by_duckdb_is_read_here()
    {
        string path = Path.Combine(_dir, "duck.parquet");
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT i AS id, CASE WHEN i = 2 THEN NULL ELSE [i::FLOAT, i::FLOAT / 4] END AS v FROM range(5) t(i)) TO '{path}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }

        var table = await ParquetTableReader.ReadFileAsync(path);
        Assert.That(table.Schema.Columns[1].Type, Is.EqualTo(ColumnType.FloatList));
        Assert.That((float[]?[])table.Column(1), Is.EqualTo(new[] { [0f, 0f], [1f, 0.25f], null, [3f, 0.75f], new[] { 4f, 1f } }));
    }
}
