using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Training.Bench;

/// <summary>Runs a stage outside a pipeline (as the CLI's executor would), returning output paths.</summary>
internal static class StageRunner
{
    public static async Task<IReadOnlyDictionary<string, string>> RunAsync(IStage stage, object options, string root, IReadOnlyDictionary<string, string> inputs, long seed = 42)
    {
        var problems = stage.Validate(options).ToList();
        if (problems.Count > 0)
        {
            throw new UserInputException(string.Join(" ", problems));
        }

        var outputs = new Dictionary<string, string>();
        foreach (var port in stage.Outputs)
        {
            var path = Path.Combine(root, port.Name + port.FileExtension);
            Directory.CreateDirectory(port.IsDirectory ? path : root);
            outputs[port.Name] = path;
        }

        var scratch = Path.Combine(root, "scratch");
        Directory.CreateDirectory(scratch);
        await stage.RunAsync(new StageContext(new StageContextArgs
        {
            StageId = stage.Kind,
            Options = options,
            Inputs = inputs.ToDictionary(p => p.Key, p => new StageInput(p.Key, stage.Inputs.First(i => i.Name == p.Key).Kind, p.Value, "")),
            OutputPaths = outputs,
            ScratchDirectory = scratch,
            Seed = seed,
            Device = ComputeDevice.Auto,
        }), CancellationToken.None);
        return outputs;
    }

    public static Task WriteTableAsync(string path, params (string Name, string?[] Values)[] columns)
    {
        var schema = new TableSchema(columns.Select(c => new ColumnSchema(c.Name, ColumnType.String)));
        return ParquetTableWriter.WriteFileAsync(path, new TableBatch(schema, columns[0].Values.Length, columns.Select(c => (Array)c.Values).ToArray()));
    }
}
