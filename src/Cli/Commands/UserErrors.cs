using Pipelines.Cli.Console;
using Pipelines.Core;

namespace Pipelines.Cli.Commands;

/// <summary>Turns user mistakes into one clear message and exit code 2; never a stack trace.</summary>
internal static class UserErrors
{
    public static async Task<int> GuardAsync(Func<Task<int>> action, ConsoleOutput output)
    {
        try
        {
            return await action();
        }
        catch (UserInputException ex)
        {
            output.Error(ex.Message);
            return ExitCodes.InvalidInput;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            output.Error(ex.Message);
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException)
        {
            output.Error("Cancelled.");
            return ExitCodes.StageFailed;
        }
    }
}
