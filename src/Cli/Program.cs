using Pipelines.Cli.Commands;

namespace Pipelines.Cli;

/// <summary>The <c>pipelines</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line; exit codes: 0 ok, 1 a stage failed, 2 invalid input (arguments included), 130 cancelled.</summary>
    public static async Task<int> Main(string[] args)
    {
        var parse = PipelinesCommand.Create().Parse(args);
        if (parse.Errors.Count == 0) return await parse.InvokeAsync().ConfigureAwait(false);
        // A mistyped command or option is the user's to fix, like a pipeline error: exit 2, without the help text.
        var stderr = System.Console.Error;
        foreach (var error in parse.Errors) await stderr.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
        await stderr.WriteLineAsync("Run 'pipelines --help' (or 'pipelines COMMAND --help') for usage.").ConfigureAwait(false);
        return ExitCodes.InvalidInput;
    }
}
