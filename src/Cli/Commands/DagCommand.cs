using System.CommandLine;
using System.Text;
using Pipelines.Cli.Console;
using Pipelines.Core.Running;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines dag FILE [--format text|mermaid|dot]</c>.</summary>
internal static class DagCommand
{
    public enum DagFormat { Text, Mermaid, Dot }

    public static Command Create()
    {
        var file = CommonOptions.PipelineFile();
        var format = new Option<DagFormat>("--format") { Description = "text (default), mermaid or dot.", DefaultValueFactory = _ => DagFormat.Text };
        var command = new Command("dag", "Print the pipeline's stages and how they connect.") { file, format };
        command.SetAction(async (parse, _) =>
        {
            var output = new ConsoleOutput(noColor: true);
            return await UserErrors.GuardAsync(() =>
            {
                var plan = Planner.Plan(CommonOptions.LoadPipeline(parse.GetValue(file)!, null, null), StageCatalog.CreateRegistry());
                System.Console.Out.Write(Render(plan, parse.GetValue(format)));
                return Task.FromResult(ExitCodes.Ok);
            }, output);
        });
        return command;
    }

    public static string Render(PipelinePlan plan, DagFormat format)
    {
        var text = new StringBuilder();
        switch (format)
        {
            case DagFormat.Mermaid:
                text.AppendLine("graph TD");
                foreach (var s in plan.Stages) text.AppendLine($"  {Id(s.Id)}[\"{s.Id}<br/><small>{s.Stage.Kind}</small>\"]");
                foreach (var s in plan.Stages)
                    foreach (var input in s.Inputs.Where(i => i.UpstreamStage is not null))
                        text.AppendLine($"  {Id(input.UpstreamStage!)} -->|{input.UpstreamOutput}| {Id(s.Id)}");
                break;
            case DagFormat.Dot:
                text.AppendLine("digraph pipeline {").AppendLine("  rankdir=LR; node [shape=box, style=rounded];");
                foreach (var s in plan.Stages) text.AppendLine($"  \"{s.Id}\" [label=\"{s.Id}\\n({s.Stage.Kind})\"];");
                foreach (var s in plan.Stages)
                    foreach (var input in s.Inputs.Where(i => i.UpstreamStage is not null))
                        text.AppendLine($"  \"{input.UpstreamStage}\" -> \"{s.Id}\" [label=\"{input.UpstreamOutput}\"];");
                text.AppendLine("}");
                break;
            default:
                foreach (var s in plan.Stages)
                {
                    var from = s.Inputs.Select(i => i.UpstreamStage is not null ? $"{i.UpstreamStage}.{i.UpstreamOutput}" : i.Reference);
                    text.AppendLine($"{s.Id} ({s.Stage.Kind})" + (s.Inputs.Count > 0 ? $" <- {string.Join(", ", from)}" : ""));
                }
                break;
        }
        return text.ToString();
    }

    private static string Id(string stageId) => "s_" + new string(stageId.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
