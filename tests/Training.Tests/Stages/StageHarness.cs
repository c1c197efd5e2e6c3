using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Training.Tests;

/// <summary>Runs a stage outside a pipeline: writes input tables, builds a context, returns output paths.</summary>
internal static class StageHarness
{
    public static async Task<IReadOnlyDictionary<string, string>> RunAsync(IStage stage, object options, string root,
        IReadOnlyDictionary<string, string> inputs, long seed = 1, IIntermediateReporter? reporter = null)
    {
        var problems = stage.Validate(options).ToList();
        if (problems.Count > 0)
        {
            throw new UserInputException(string.Join(" ", problems));
        }

        var outputs = new Dictionary<string, string>();
        foreach (var port in stage.Outputs)
        {
            var path = Path.Combine(root, "out", port.Name + port.FileExtension);
            if (port.IsDirectory)
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            }

            outputs[port.Name] = path;
        }

        var scratch = Path.Combine(root, "scratch");
        Directory.CreateDirectory(scratch);
        var context = new StageContext(new StageContextArgs
        {
            StageId = stage.Kind,
            Options = options,
            Inputs = inputs.ToDictionary(p => p.Key, p => new StageInput(p.Key, stage.Inputs.First(i => i.Name == p.Key).Kind, p.Value, "hash")),
            OutputPaths = outputs,
            ScratchDirectory = scratch,
            Seed = seed,
            Device = ComputeDevice.Auto,
            Reporter = reporter,
        });
        await stage.RunAsync(context, CancellationToken.None);
        return outputs;
    }

    public static async Task<string> WriteTableAsync(string path, params (string Name, string?[] Values)[] columns)
    {
        var schema = new TableSchema(columns.Select(c => new ColumnSchema(c.Name, ColumnType.String)));
        var rows = columns.Length == 0 ? 0 : columns[0].Values.Length;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await ParquetTableWriter.WriteFileAsync(path, new TableBatch(schema, rows, columns.Select(c => (Array)c.Values).ToArray()));
        return path;
    }
}
