using System.CommandLine;

namespace Pipelines.Cli.Commands;

/// <summary>The root command and its verbs.</summary>
public static class PipelinesCommand
{
    /// <summary>Builds the command tree.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("Pipelines: cached, reproducible data pipelines for model fine-tuning.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(DagCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(StudyCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(ExpCommand.Create());
        root.Subcommands.Add(DiffCommands.Params());
        root.Subcommands.Add(DiffCommands.Metrics());
        root.Subcommands.Add(PlotsCommand.Create());
        root.Subcommands.Add(ShowCommand.Create());
        root.Subcommands.Add(CheckoutCommand.Create());
        root.Subcommands.Add(RemoteCommands.Push());
        root.Subcommands.Add(RemoteCommands.Pull());
        root.Subcommands.Add(CardCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        return root;
    }
}
