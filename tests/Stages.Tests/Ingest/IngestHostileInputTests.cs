using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Stages.Ingest;
using Pipelines.Stages.Tests.Support;

namespace Pipelines.Stages.Tests.Ingest;

/// <summary>Inputs shaped to hurt: wide files, lines that are not objects.</summary>
public class IngestHostileInputTests
{
    private StageHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new StageHarness();

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public async Task A_csv_with_three_rows_and_ten_thousand_columns_ingests_in_memory_proportional_to_its_data()
    {
        const int columns = 10_000;
        var header = string.Join(",", Enumerable.Range(0, columns).Select(i => $"c{i}"));
        var rows = Enumerable.Range(0, 3).Select(r => string.Join(",", Enumerable.Range(0, columns).Select(i => (i + r) % 2 == 0 ? "ab" : "cd")));
        string csv = _h.Write("wide.csv", header + "\n" + string.Join("\n", rows) + "\n");

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var (outputs, _) = await _h.RunAsync(new IngestStage(), "{}", new Dictionary<string, string> { ["source"] = csv });
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.That(allocated, Is.LessThan(300L * 1024 * 1024), $"allocated {allocated / 1048576} MiB for a {new FileInfo(csv).Length / 1024} KiB file");
        var table = await ParquetTableReader.ReadFileAsync(outputs["table"]);
        Assert.That(table.RowCount, Is.EqualTo(3));
        Assert.That(table.Schema.Columns, Has.Count.EqualTo(columns));
    }

    [Test]
    public void A_jsonl_line_that_is_not_an_object_is_a_user_error_naming_the_line()
    {
        string jsonl = _h.Write("t.jsonl", "{\"a\": 1}\n[1, 2]\n");
        var ex = Assert.ThrowsAsync<UserInputException>(() => _h.RunAsync(new IngestStage(), "{}", new Dictionary<string, string> { ["source"] = jsonl }));
        Assert.That(ex!.Message, Does.Contain("t.jsonl:2: expected a JSON object, found array."));
    }
}
