using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Eval.Tests;

/// <summary>Runs a stage outside a pipeline: writes input tables, builds a context, returns output paths.</summary>
internal static class StageHarness
{
    public static Task<IReadOnlyDictionary<string, string>> RunAsync(IStage stage, object options, string root,
        IReadOnlyDictionary<string, string> inputs, long seed = 1, IIntermediateReporter? reporter = null) =>
        Pipelines.Core.Running.StageHost.RunAsync(stage, options, inputs, root, seed, reporter);

    public static async Task<string> WriteTableAsync(string path, params (string Name, string?[] Values)[] columns)
    {
        var schema = new TableSchema(columns.Select(c => new ColumnSchema(c.Name, ColumnType.String)));
        var rows = columns.Length == 0 ? 0 : columns[0].Values.Length;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await ParquetTableWriter.WriteFileAsync(path, new TableBatch(schema, rows, columns.Select(c => (Array)c.Values).ToArray()));
        return path;
    }
}
