using System.Text;
using System.Text.Json.Nodes;
using Pipelines.Core;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Stages;
using Pipelines.Stages.Ingest;
using SharpFuzz;

namespace Pipelines.Fuzz;

/// <summary>
/// Feeds afl++'s inputs to the CSV and JSONL readers (through the ingest stage, as a run would) and to the pipeline
/// YAML loader and planner. A mistake in the input must end as <see cref="UserInputException"/>; any other
/// exception escapes, and afl++ records the input as a crash. <c>pipelines-fuzz TARGET [FILE]</c>: with a file, runs
/// it once (to reproduce a crash); without, serves afl++.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || Target(args[0]) is not { } target)
        {
            Console.Error.WriteLine("usage: pipelines-fuzz csv|jsonl|yaml [FILE]");
            return 2;
        }
        if (args.Length > 1)
        {
            using var file = File.OpenRead(args[1]);
            target(file);
            return 0;
        }
        Fuzzer.OutOfProcess.Run(stream => target(stream));
        return 0;
    }

    private static Action<Stream>? Target(string name) => name switch
    {
        "csv" => stream => Ingest(stream, "input.csv", "{}"),
        "jsonl" => stream => Ingest(stream, "input.jsonl", "{}"),
        "yaml" => Plan,
        _ => null,
    };

    private static readonly string Scratch = Path.Combine(Path.GetTempPath(), "pipelines-fuzz", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    private static readonly StageRegistry Registry = new StageRegistry().AddRange(StagesCatalog.All());

    private static void Ingest(Stream input, string fileName, string withJson)
    {
        Directory.CreateDirectory(Scratch);
        string source = Path.Combine(Scratch, fileName);
        using (var file = File.Create(source)) input.CopyTo(file);
        string run = Path.Combine(Scratch, "run");
        if (Directory.Exists(run)) Directory.Delete(run, recursive: true);
        var stage = new IngestStage();
        var problems = new List<string>();
        var options = OptionsBinder.Bind(stage.OptionsType, JsonNode.Parse(withJson)!.AsObject(), (_, m) => m.First(), problems)!;
        try
        {
            StageHost.RunAsync(stage, options, new Dictionary<string, string> { ["source"] = source }, run, seed: 1).GetAwaiter().GetResult();
        }
        catch (UserInputException)
        {
            // the input's fault, reported as such: what the tool must do
        }
    }

    private static void Plan(Stream input)
    {
        using var reader = new StreamReader(input, Encoding.UTF8);
        try
        {
            Planner.Plan(YamlPipelineLoader.Parse(reader.ReadToEnd(), Path.Combine(Scratch, "fuzz.yaml")), Registry);
        }
        catch (UserInputException)
        {
            // an invalid pipeline, reported with its line
        }
    }
}
