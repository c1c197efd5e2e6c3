using System.Text.Json.Nodes;
using Pipelines.Core;
using Pipelines.Core.Definition;
using Pipelines.Core.Tables;

namespace Pipelines.Synthetic.Tests;

/// <summary>Runs a stage the way the runner does: bound options, Parquet inputs, output paths in a temp directory.</summary>
public sealed class StageHarness : IDisposable
{
    public StageHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "synth-stage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public Dictionary<string, object> LastSummary { get; private set; } = [];

    /// <summary>Writes a column table as a Parquet input file.</summary>
    public async Task<string> WriteInputAsync(string name, ColumnTable table)
    {
        var schema = new TableSchema(table.Columns.Select(c => new ColumnSchema(c.Name, c.Storage switch
        {
            ColumnStorage.Boolean => ColumnType.Boolean,
            ColumnStorage.Int64 => ColumnType.Int64,
            ColumnStorage.Double => ColumnType.Double,
            ColumnStorage.String => ColumnType.String,
            _ => ColumnType.Timestamp,
        })));
        string path = Path.Combine(Root, name + ".parquet");
        await ParquetTableWriter.WriteFileAsync(path, new TableBatch(schema, table.RowCount, table.Columns.Select(c => c.Values).ToArray()));
        return path;
    }

    /// <summary>Binds <paramref name="with"/>, validates it, runs the stage into <paramref name="runName"/> and returns the output paths.</summary>
    public async Task<IReadOnlyDictionary<string, string>> RunAsync(IStage stage, string with, IReadOnlyDictionary<string, string> inputs, long seed = 7, string runName = "run")
    {
        var options = OptionsBinder.Bind(stage.OptionsType, JsonNode.Parse(with)!.AsObject(), (_, m) => string.Join(" ", m), new List<string>()) is { } o
            ? o
            : throw new UserInputException("options did not bind: " + with);
        var problems = stage.Validate(options).ToList();
        if (problems.Count > 0)
        {
            throw new UserInputException(string.Join(Environment.NewLine, problems));
        }

        string outDir = Path.Combine(Root, runName);
        Directory.CreateDirectory(outDir);
        var outputs = new Dictionary<string, string>();
        foreach (var port in stage.Outputs)
        {
            string path = Path.Combine(outDir, port.Name + port.FileExtension);
            if (port.IsDirectory)
            {
                Directory.CreateDirectory(path);
            }

            outputs[port.Name] = path;
        }

        var scratch = Path.Combine(outDir, "scratch");
        Directory.CreateDirectory(scratch);
        var context = new StageContext(new StageContextArgs
        {
            StageId = "synth",
            Options = options,
            Inputs = inputs.ToDictionary(kv => kv.Key, kv => new StageInput(kv.Key, ArtifactKind.Table, kv.Value, "hash-" + kv.Key)),
            OutputPaths = outputs,
            Seed = seed,
            ScratchDirectory = scratch,
        });
        await stage.RunAsync(context, CancellationToken.None);
        LastSummary = new Dictionary<string, object>(context.Summary);
        return outputs;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
