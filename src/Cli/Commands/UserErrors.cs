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
        catch (Pipelines.Core.Remotes.RemoteUnavailableException ex)
        {
            // The network or the remote's owner is at fault, not the input: like a workspace that cannot be written.
            output.Error(ex.Message);
            return ExitCodes.StageFailed;
        }
        catch (OperationCanceledException)
        {
            output.Error("Cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The workspace could not be written (read-only, disk full): the environment, not a stage, is at fault.
            output.Error(Describe(ex));
            return ExitCodes.StageFailed;
        }
    }

    /// <summary>One line for an I/O failure, naming the usual cause.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        IOException io when (io.HResult & 0xFFFF) == 28 => $"the disk is full: {io.Message}",
        UnauthorizedAccessException => $"permission denied: {ex.Message}",
        _ => ex.Message,
    };

    /// <summary>Throws <see cref="UserInputException"/> when a name given with <c>--force</c> is not a stage.</summary>
    public static void CheckStageNames(IEnumerable<string> names, IReadOnlyCollection<string> stageIds, string file)
    {
        foreach (var name in names)
        {
            if (stageIds.Contains(name)) continue;
            throw new UserInputException($"--force {name}: {file} has no stage '{name}'.{DidYouMean(name, stageIds)} Stages: {string.Join(", ", stageIds)}.");
        }
    }

    /// <summary>" Did you mean 'x'?" naming the closest candidate by edit distance, or "" when none is close.</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates)
    {
        var closest = candidates.OrderBy(c => Distance(name, c)).ThenBy(c => c, StringComparer.Ordinal).FirstOrDefault();
        return closest is not null && Distance(name, closest) <= Math.Max(2, name.Length / 3) ? $" Did you mean '{closest}'?" : "";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
