using System.CommandLine;
using Pipelines.Cli.Console;
using Pipelines.Cli.Experiments;
using Pipelines.Cli.Plots;
using Pipelines.Core;
using Pipelines.Core.Caching;

namespace Pipelines.Cli.Commands;

/// <summary><c>pipelines plots diff [RUN...] [-o FILE]</c>: one offline HTML page comparing runs as charts (DVC's <c>plots diff</c>).</summary>
internal static class PlotsCommand
{
    /// <summary>Where the page goes by default, relative to the workspace's state directory.</summary>
    private const string DefaultPage = "plots/diff.html";

    public static Command Create()
    {
        var runs = new Argument<string[]>("runs")
        {
            Description = "Runs to compare, as `pipelines runs` names them (a unique prefix will do). Default: the newest two; one: it and the newest.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string?>("--output", "-o") { Description = $"The HTML file, inside the workspace; relative paths are from the workspace root (default .pipelines/{DefaultPage})." };
        var workspace = CommonOptions.Workspace();
        var diff = new Command("diff", "Write one offline HTML page comparing runs: metric bars, the params that differ, training curves and the search's history.") { runs, output, workspace };
        diff.SetAction(async (parse, ct) =>
        {
            var console = new ConsoleOutput(noColor: true);
            return await UserErrors.GuardAsync(async () =>
            {
                var ws = CommonOptions.OpenWorkspace(parse.GetValue(workspace));
                string target = PagePath(ws, parse.GetValue(output));
                var history = await RunHistory.LoadAsync(ws, ct);
                var selected = history.Select(parse.GetValue(runs) ?? []);
                var page = await PlotsDiffPage.BuildAsync(selected, new RunArtifactReader(ws), ct);
                await WriteAtomicallyAsync(target, page.ToHtml(), ct);
                System.Console.WriteLine($"Wrote {target} ({selected.Count} runs, {page.ChartCount} charts)");
                return ExitCodes.Ok;
            }, console);
        });
        var group = new Command("plots", "Compare runs as charts.");
        group.Subcommands.Add(diff);
        return group;
    }

    /// <summary>The page's full path; a path outside the workspace is refused, so the command only ever writes inside it.</summary>
    private static string PagePath(Workspace workspace, string? requested)
    {
        string full = requested is null
            ? Path.Combine(workspace.StateDirectory, DefaultPage)
            : Path.GetFullPath(requested, workspace.Root);
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace.Root)) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new UserInputException($"--output {requested}: the page must be written inside the workspace ({workspace.Root}). Expected a path such as .pipelines/{DefaultPage}.");
        if (Directory.Exists(full))
            throw new UserInputException($"--output {requested}: {full} is a directory. Expected a file name such as diff.html.");
        return full;
    }

    /// <summary>Written beside the target and renamed over it, so a reader never sees half a page.</summary>
    private static async Task WriteAtomicallyAsync(string path, string html, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temp, html, cancellationToken);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
