using Pipelines.Cli;
using Pipelines.Core.Caching;
using Pipelines.Core.Running;
using Pipelines.Examples.FineTune;

// Runs pipelines/finetune.yaml's C# twin from the repository root:
//   dotnet run --project pipelines/FineTune
var definition = FineTunePipeline.Build(Path.GetFullPath("pipelines"));
var runner = new PipelineRunner(new Workspace(Directory.GetCurrentDirectory()), StageCatalog.CreateRegistry());
var result = await runner.RunAsync(definition, new RunOptions { Jobs = Environment.ProcessorCount });
foreach (var stage in result.Stages)
    Console.WriteLine($"{stage.Id,-16} {stage.Status.ToString().ToLowerInvariant(),-8} {stage.Seconds,8:0.00}s  {stage.Error ?? stage.Reason}");
Console.WriteLine($"Run {result.RunId} {result.Status}. Report: {result.ReportPath}");
return result.Succeeded ? 0 : 1;
