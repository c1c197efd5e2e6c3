using Pipelines.Cli.Commands;

namespace Pipelines.Cli;

/// <summary>The <c>pipelines</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line; exit codes: 0 ok, 1 a stage failed, 2 invalid input.</summary>
    public static Task<int> Main(string[] args) => PipelinesCommand.Create().Parse(args).InvokeAsync();
}
