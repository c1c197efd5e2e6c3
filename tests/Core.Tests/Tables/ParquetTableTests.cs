using NUnit.Framework;
using Pipelines.Core.Tables;

namespace Pipelines.Core.Tests.Tables;

public class ParquetTableTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "pipelines-parquet", Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static TableBatch Sample(int n, bool nullable)
    {
        var schema = new TableSchema([
            new ColumnSchema("b", ColumnType.Boolean, nullable), new ColumnSchema("l", ColumnType.Int64, nullable), new ColumnSchema("d", ColumnType.Double, nullable),
            new ColumnSchema("s", ColumnType.String, nullable), new ColumnSchema("t", ColumnType.Timestamp, nullable)]);
        bool Null(int i) => nullable && i % 7 == 3;
        return new TableBatch(schema, n, [
            Enumerable.Range(0, n).Select(i => Null(i) ? null : (bool?)(i % 2 == 0)).ToArray(),
            Enumerable.Range(0, n).Select(i => Null(i) ? null : (long?)i * 1_000_003).ToArray(),
            Enumerable.Range(0, n).Select(i => Null(i) ? null : (double?)i / 3).ToArray(),
            Enumerable.Range(0, n).Select(i => Null(i) ? null : "row " + i).ToArray(),
            Enumerable.Range(0, n).Select(i => Null(i) ? null : (DateTime?)new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i)).ToArray()]);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Every_type_round_trips_through_several_row_groups_with_its_nulls(bool nullable)
    {
        var table = Sample(10_000, nullable);
        string path = Path.Combine(_dir, "t.parquet");
        // Many rounds: a reader bug once produced spurious nulls only now and then.
        for (int round = 0; round < 5; round++)
        {
            await ParquetTableWriter.WriteFileAsync(path, table, rowGroupSize: 3000);
            await using var reader = await ParquetTableReader.OpenAsync(path);
            Assert.That(reader.RowGroupCount, Is.EqualTo(4));
            Assert.That(reader.Schema, Is.EqualTo(table.Schema));
            var back = await reader.ReadAllAsync();
            for (int c = 0; c < table.Schema.Columns.Count; c++)
                Assert.That(back.Column(c), Is.EqualTo(table.Column(c)), table.Schema.Columns[c].Name);
        }
    }

    [Test]
    public async Task Identical_tables_are_written_byte_identically()
    {
        string a = Path.Combine(_dir, "a.parquet"), b = Path.Combine(_dir, "b.parquet");
        await ParquetTableWriter.WriteFileAsync(a, Sample(1000, true));
        await ParquetTableWriter.WriteFileAsync(b, Sample(1000, true));
        Assert.That(await File.ReadAllBytesAsync(a), Is.EqualTo(await File.ReadAllBytesAsync(b)));
    }

    [Test]
    public void A_null_in_a_column_declared_not_nullable_is_refused_naming_the_row()
    {
        var schema = new TableSchema([new ColumnSchema("x", ColumnType.Int64, Nullable: false)]);
        var ex = Assert.ThrowsAsync<InvalidDataException>(() => ParquetTableWriter.WriteFileAsync(Path.Combine(_dir, "n.parquet"), new TableBatch(schema, 2, [new long?[] { 1, null }])));
        Assert.That(ex!.Message, Is.EqualTo("Column 'x' is declared not nullable but row 1 is null."));
    }

    [Test]
    public void A_file_that_is_not_parquet_is_a_clear_error()
    {
        string path = Path.Combine(_dir, "not.parquet");
        File.WriteAllText(path, "hello");
        var ex = Assert.ThrowsAsync<InvalidDataException>(() => ParquetTableReader.OpenAsync(path));
        Assert.That(ex!.Message, Does.StartWith(path + ": not a readable Parquet file"));
    }
}
