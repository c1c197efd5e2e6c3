using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Stages.Split;
using Pipelines.Stages.Tests.Support;

namespace Pipelines.Stages.Tests.Split;

public class SplitStageTests
{
    private static TableBatch People(int n, Func<int, string> label)
    {
        var schema = new TableSchema([new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("label", ColumnType.String)]);
        return new TableBatch(schema, n, [Enumerable.Range(0, n).Select(i => (long?)i).ToArray(), Enumerable.Range(0, n).Select(label).ToArray()]);
    }

    [Test]
    public void Stratified_parts_keep_each_groups_proportions_exactly()
    {
        var table = People(1000, i => i % 10 == 0 ? "rare" : "common");
        var parts = SplitStage.Assign(table, new SplitOptions { Train = 0.8, Validation = 0.1, Test = 0.1, StratifyBy = "label" }, seed: 5);
        int Count(string label, int part) => Enumerable.Range(0, 1000).Count(r => table.StringColumn("label")[r] == label && parts[r] == part);
        Assert.That((Count("rare", 0), Count("rare", 1), Count("rare", 2)), Is.EqualTo((80, 10, 10)));
        Assert.That((Count("common", 0), Count("common", 1), Count("common", 2)), Is.EqualTo((720, 90, 90)));
    }

    [Test]
    public void The_split_follows_row_contents_not_row_order()
    {
        var table = People(500, i => (i % 3).ToString());
        var options = new SplitOptions { StratifyBy = "label", Key = ["id"] };
        var parts = SplitStage.Assign(table, options, seed: 9);
        var reversedOrder = Enumerable.Range(0, 500).Reverse().ToArray();
        var shuffled = table.Select(reversedOrder);
        var shuffledParts = SplitStage.Assign(shuffled, options, seed: 9);
        var byId = Enumerable.Range(0, 500).ToDictionary(r => shuffled.Column<long>("id")[r]!.Value, r => shuffledParts[r]);
        Assert.That(Enumerable.Range(0, 500).Select(r => byId[r]), Is.EqualTo(parts));
    }

    [Test]
    public void Another_seed_gives_another_split_and_the_same_seed_the_same()
    {
        var table = People(300, _ => "x");
        var options = new SplitOptions();
        Assert.That(SplitStage.Assign(table, options, 1), Is.EqualTo(SplitStage.Assign(table, options, 1)));
        Assert.That(SplitStage.Assign(table, options, 1), Is.Not.EqualTo(SplitStage.Assign(table, options, 2)));
    }

    [Test]
    public async Task The_stage_writes_three_tables_that_partition_the_input()
    {
        using var h = new StageHarness();
        string input = h.PathOf("in.parquet");
        await ParquetTableWriter.WriteFileAsync(input, People(200, i => (i % 4).ToString()));
        var (outputs, summary) = await h.RunAsync(new SplitStage(), "{\"train\": 0.5, \"validation\": 0.25, \"test\": 0.25, \"stratify_by\": \"label\"}", new Dictionary<string, string> { ["table"] = input });
        var ids = new List<long>();
        foreach (var part in new[] { "train", "validation", "test" })
            ids.AddRange((await ParquetTableReader.ReadFileAsync(outputs[part])).Column<long>("id").Select(v => v!.Value));
        Assert.That(ids.Order(), Is.EqualTo(Enumerable.Range(0, 200).Select(i => (long)i)));
        Assert.That(summary["train"], Is.EqualTo(100L));
    }

    [Test]
    public void Ratios_that_do_not_sum_to_one_are_rejected_with_the_sum()
    {
        using var h = new StageHarness();
        var ex = Assert.ThrowsAsync<UserInputException>(() => h.RunAsync(new SplitStage(), "{\"train\": 0.7, \"validation\": 0.2, \"test\": 0.2}", new Dictionary<string, string> { ["table"] = "x" }));
        Assert.That(ex!.Message, Is.EqualTo("'train' + 'validation' + 'test' must be 1. You entered 0.7 + 0.2 + 0.2 = 1.0999999999999999."));
    }

    [Test]
    public void A_missing_stratify_column_names_the_columns_that_exist()
    {
        var ex = Assert.Throws<InvalidDataException>(() => SplitStage.Assign(People(10, _ => "a"), new SplitOptions { StratifyBy = "lable" }, 1));
        Assert.That(ex!.Message, Is.EqualTo("Column 'lable' does not exist. The table has: id, label."));
    }
}
