using System.Diagnostics;

namespace Pipelines.Core.Slurm;

/// <summary>The Slurm commands the executor uses, run as processes (they read <c>SLURM_CONF</c> from this process's environment).</summary>
internal static class SlurmCommands
{
    /// <summary>Submits <paramref name="arguments"/> to <c>sbatch --parsable</c>; returns the job id.</summary>
    public static async Task<string> SubmitAsync(IReadOnlyList<string> arguments)
    {
        var (exit, stdout, stderr) = await RunAsync("sbatch", ["--parsable", .. arguments]).ConfigureAwait(false);
        string id = stdout.Trim().Split(';')[0];
        if (exit != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new SlurmJobFailedException($"sbatch failed (exit {exit}): {FirstLine(stderr, stdout)}");
        return id;
    }

    /// <summary>The job as <c>scontrol show job</c> sees it; null once Slurm no longer knows it.</summary>
    public static async Task<SlurmJobInfo?> ShowJobAsync(string id)
    {
        var (exit, stdout, _) = await RunAsync("scontrol", ["show", "job", "-o", id]).ConfigureAwait(false);
        return exit == 0 ? SlurmJobInfo.Parse(stdout) : null;
    }

    /// <summary>The ids of this user's jobs named <paramref name="name"/> that are still queued or running.</summary>
    public static async Task<IReadOnlyList<string>> FindActiveAsync(string name)
    {
        var (exit, stdout, _) = await RunAsync("squeue", ["-h", "--me", "--name", name, "-o", "%i"]).ConfigureAwait(false);
        return exit == 0 ? stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
    }

    /// <summary>Releases a requeued job at once: Slurm holds a requeued batch job for two minutes (BeginTime) otherwise.</summary>
    public static Task ReleaseAsync(string id) =>
        RunAsync("scontrol", ["update", $"JobId={id}", "StartTime=now"]);

    /// <summary>Cancels a job; not cancellable itself, since it runs when the driver is being cancelled.</summary>
    public static Task CancelAsync(string id) => RunAsync("scancel", [id]);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new SlurmJobFailedException($"'{file}' could not be started ({ex.Message}): is Slurm installed and on PATH?", ex);
        }
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        // The commands are short; cancelling waits for them, so a job just submitted is known (and scancelled), never lost.
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private static string FirstLine(string stderr, string stdout) =>
        (stderr.Trim().Length > 0 ? stderr : stdout).Trim().Split('\n')[0];
}
