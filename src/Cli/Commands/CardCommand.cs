using System.CommandLine;
using Pipelines.Cli.Console;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Cards;

namespace Pipelines.Cli.Commands;

/// <summary>
/// <c>pipelines card [FILE] [--stage train] [--out DIR]</c>: a trained stage's model card (Hugging Face README.md) and
/// data card, written beside a copy of its adapter files, every figure read from the lock, run cache and artifacts.
/// </summary>
internal static class CardCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("pipeline") { Description = "The pipeline (default: the only one in pipelines.lock).", Arity = ArgumentArity.ZeroOrOne };
        var stage = new Option<string?>("--stage") { Description = "The trained stage (default: the only train stage, or the one an eval stage scores as its adapter)." };
        var outDir = new Option<DirectoryInfo?>("--out", "-o") { Description = "Where to write README.md, data_card.md and the adapter files (default: .pipelines/cards/PIPELINE/STAGE)." };
        var workspace = CommonOptions.Workspace();
        var command = new Command("card", "Write a trained stage's model card (README.md, Hugging Face format) and data card beside its adapter files.") { file, stage, outDir, workspace };
        command.SetAction(async (parse, ct) =>
        {
            var output = new ConsoleOutput(noColor: true);
            return await UserErrors.GuardAsync(async () =>
            {
                var ws = CommonOptions.OpenWorkspace(parse.GetValue(workspace));
                string pipeline = PipelineName(ws, parse.GetValue(file));
                string target = StageName(ws, pipeline, parse.GetValue(stage));
                var card = await CardBuilder.BuildAsync(ws, pipeline, target, ct);
                string directory = OutputDirectory(ws, parse.GetValue(outDir), pipeline, target);
                await CardFolder.WriteAsync(ws, card, directory, ct);
                output.Line($"Model card: {Path.GetRelativePath(ws.Root, Path.Combine(directory, CardMarkdown.ModelCardFile))}");
                output.Line($"Data card:  {Path.GetRelativePath(ws.Root, Path.Combine(directory, CardMarkdown.DataCardFile))}");
                return ExitCodes.Ok;
            }, output);
        });
        return command;
    }

    private static string PipelineName(Workspace workspace, FileInfo? file)
    {
        if (file is not null) return CommonOptions.LoadPipeline(file, null, null).Name;
        var pipelines = LockFile.Load(workspace.LockFilePath).Pipelines.ToList();
        return pipelines.Count switch
        {
            1 => pipelines[0],
            0 => throw new UserInputException($"{workspace.LockFilePath} records no pipeline yet: run one first (pipelines run FILE)."),
            _ => throw new UserInputException($"{workspace.LockFilePath} records several pipelines ({string.Join(", ", pipelines)}): name the pipeline file."),
        };
    }

    private static string StageName(Workspace workspace, string pipeline, string? stage)
    {
        if (stage is not null) return stage;
        if (CardBuilder.DefaultStage(workspace, pipeline) is { } evaluated) return evaluated;
        var trained = CardBuilder.TrainedStages(workspace, pipeline);
        throw new UserInputException(trained.Count == 0
                ? $"pipeline '{pipeline}' has no train stage in {workspace.LockFilePath}: a card describes a trained model."
                : $"pipeline '{pipeline}' has several train stages ({string.Join(", ", trained)}): choose one with --stage.");
    }

    private static string OutputDirectory(Workspace workspace, DirectoryInfo? requested, string pipeline, string stage)
    {
        string directory = requested?.FullName ?? Path.Combine(workspace.StateDirectory, "cards", pipeline, stage);
        string relative = Path.GetRelativePath(workspace.Root, directory);
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            throw new UserInputException($"--out {requested?.FullName}: a card is written inside the workspace ({workspace.Root}), not outside it.");
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !CardFolder.WroteIt(directory))
            throw new UserInputException($"--out {relative}: the folder holds files this command did not write. Name an empty or new folder.");
        if (File.Exists(directory)) throw new UserInputException($"--out {relative}: is a file; expected a folder.");
        return directory;
    }
}
