using System.CommandLine;
using System.Globalization;
using Pipelines.Cli.Console;
using Pipelines.Cli.Experiments;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Tables;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines show STAGE.OUTPUT [--head N] [--columns a,b] [--run ID]</c>: the first rows of a table artifact.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("output") { Description = "The table to print, as stage.output (e.g. dedup.table)." };
        var head = new Option<int>("--head", "-n") { Description = "How many rows (default 10).", DefaultValueFactory = _ => 10 };
        var columns = new Option<string?>("--columns", "-c") { Description = "Only these columns, comma-separated (default: all)." };
        var run = new Option<string?>("--run") { Description = "Print the table as this run produced it (default: the newest run that has it)." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var workspace = CommonOptions.Workspace();
        var command = new Command("show", "Print the first rows of a table artifact, read from the cache as a run produced it.") { target, head, columns, run, csv, workspace };
        command.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(noColor: parse.GetValue(csv));
            return await UserErrors.GuardAsync(async () =>
            {
                int rows = parse.GetValue(head);
                if (rows < 0) throw new UserInputException($"--head must be at least 0, but got {rows}.");
                var ws = CommonOptions.OpenWorkspace(parse.GetValue(workspace));
                var history = await RunHistory.LoadAsync(ws, ct);
                string name = parse.GetValue(target)!;
                var (hash, path) = Locate(history, name, parse.GetValue(run));
                if (path is not null && !path.EndsWith(".parquet", StringComparison.Ordinal))
                    throw new UserInputException($"{name} is not a table (it is {path}). Expected a table output such as {TableOutputs(history)}.");
                var cache = new ArtifactCache(new LocalArtifactStore(ws.StateDirectory));
                string file = await cache.ReadablePathAsync(hash, isDirectory: false, ws.TempDirectory, ct);
                var table = await ReadHeadAsync(file, rows, ct);
                var selected = SelectColumns(table.Schema, parse.GetValue(columns));
                var text = new TextTable(selected.Select(i => table.Schema.Columns[i].Name).ToArray());
                for (int r = 0; r < table.RowCount; r++) text.Add(selected.Select(c => Format(table.GetValue(r, c))).ToArray());
                if (parse.GetValue(csv)) text.WriteCsv(System.Console.Out);
                else text.Print(output);
                return ExitCodes.Ok;
            }, output);
        });
        return command;
    }

    /// <summary>The output's hash and path in the named run, or in the newest run that produced it.</summary>
    private static (string Hash, string? Path) Locate(RunHistory history, string name, string? runId)
    {
        if (!name.Contains('.', StringComparison.Ordinal))
            throw new UserInputException($"'{name}' is not stage.output. Expected a table output such as {TableOutputs(history)}.");
        var runs = runId is not null ? [history.Find(runId)] : history.Runs.Reverse();
        foreach (var run in runs)
            if (run.Outputs.TryGetValue(name, out var output)) return output;
        throw new UserInputException($"no output '{name}' in {(runId is null ? "any recorded run" : "run " + runId)}. Expected one of: {TableOutputs(history)}.");
    }

    private static string TableOutputs(RunHistory history)
    {
        var names = history.Runs.SelectMany(r => r.Outputs).Where(o => o.Value.Path?.EndsWith(".parquet", StringComparison.Ordinal) == true)
            .Select(o => o.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return names.Length == 0 ? "(no run has produced a table yet)" : string.Join(", ", names);
    }

    /// <summary>The first rows only: row groups are read until there are enough.</summary>
    private static async Task<TableBatch> ReadHeadAsync(string file, int rows, CancellationToken cancellationToken)
    {
        await using var reader = await ParquetTableReader.OpenAsync(file, cancellationToken);
        var batches = new List<TableBatch>();
        int total = 0;
        await foreach (var batch in reader.ReadBatchesAsync(cancellationToken))
        {
            if (total >= rows) break;
            batches.Add(batch);
            total += batch.RowCount;
        }
        var all = TableBatch.Concat(reader.Schema, batches);
        return all.RowCount <= rows ? all : all.Select(Enumerable.Range(0, rows).ToArray());
    }

    private static int[] SelectColumns(TableSchema schema, string? list)
    {
        if (string.IsNullOrWhiteSpace(list)) return Enumerable.Range(0, schema.Columns.Count).ToArray();
        return list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(name => schema.IndexOf(name) is var i and >= 0 ? i
            : throw new UserInputException($"--columns {name}: the table has no column '{name}'. Expected some of its columns: {string.Join(", ", schema.Columns.Select(c => c.Name))}."))
            .ToArray();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
