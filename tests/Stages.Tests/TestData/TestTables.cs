using System.Globalization;
using System.Text.Json;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Tests.TestData;

/// <summary>Loads the shipped data slices as tables.</summary>
internal static class TestTables
{
    public static string PathOf(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", file);

    /// <summary>GSM8K questions and answers as string columns.</summary>
    public static (string[] Questions, string[] Answers) Gsm8k(string file)
    {
        var questions = new List<string>();
        var answers = new List<string>();
        foreach (string line in File.ReadLines(PathOf(file)))
        {
            using var doc = JsonDocument.Parse(line);
            questions.Add(doc.RootElement.GetProperty("question").GetString()!);
            answers.Add(doc.RootElement.GetProperty("answer").GetString()!);
        }

        return (questions.ToArray(), answers.ToArray());
    }

    /// <summary>The raw Adult rows split on ", ".</summary>
    public static string[][] AdultRows() =>
        File.ReadLines(PathOf("adult_2000.csv")).Where(l => l.Length > 0).Select(l => l.Split(", ")).ToArray();

    /// <summary>Adult as a table: age (Int64), race, sex, education, income (String), hours_per_week (Int64).</summary>
    public static TableBatch Adult()
    {
        var rows = AdultRows();
        var schema = new TableSchema([
            new ColumnSchema("age", ColumnType.Int64),
            new ColumnSchema("education", ColumnType.String),
            new ColumnSchema("race", ColumnType.String),
            new ColumnSchema("sex", ColumnType.String),
            new ColumnSchema("hours_per_week", ColumnType.Int64),
            new ColumnSchema("income", ColumnType.String),
        ]);
        return new TableBatch(schema, rows.Length, [
            rows.Select(r => (long?)long.Parse(r[0], CultureInfo.InvariantCulture)).ToArray(),
            rows.Select(r => (string?)r[3]).ToArray(),
            rows.Select(r => (string?)r[8]).ToArray(),
            rows.Select(r => (string?)r[9]).ToArray(),
            rows.Select(r => (long?)long.Parse(r[12], CultureInfo.InvariantCulture)).ToArray(),
            rows.Select(r => (string?)r[14]).ToArray(),
        ]);
    }

    /// <summary>Writes a table to a temporary Parquet file in row groups of <paramref name="rowGroupSize"/>.</summary>
    public static async Task<string> WriteAsync(TableBatch table, string directory, string name, int rowGroupSize = 65_536)
    {
        string path = Path.Combine(directory, name + ".parquet");
        await ParquetTableWriter.WriteFileAsync(path, table, rowGroupSize);
        return path;
    }
}
