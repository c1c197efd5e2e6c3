namespace Pipelines.Core.Slurm;

/// <summary>One line of <c>scontrol show job -o</c>, the fields the executor follows a job by.</summary>
internal sealed record SlurmJobInfo(string Id, string Name, string State, string Reason, int Restarts, string Node, string ExitCode, string Command)
{
    /// <summary>States in which the job will still run or is running (a requeued job passes through them again).</summary>
    private static readonly HashSet<string> Active = new(StringComparer.Ordinal)
    {
        "PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING", "SIGNALING", "STAGE_OUT",
    };

    /// <summary>Whether the job has not ended.</summary>
    public bool IsActive => Active.Contains(State);

    /// <summary>Parses <c>scontrol show job -o</c> output; null when it names no job.</summary>
    public static SlurmJobInfo? Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        // Values with spaces (Command, Reason text) are rare and not read here; first '=' splits key from value.
        foreach (var token in text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = token.IndexOf('=');
            if (eq > 0) fields.TryAdd(token[..eq], token[(eq + 1)..]);
        }
        if (!fields.TryGetValue("JobId", out var id) || !fields.TryGetValue("JobState", out var state)) return null;
        string node = fields.GetValueOrDefault("BatchHost") is { Length: > 0 } host ? host : fields.GetValueOrDefault("NodeList", "");
        return new SlurmJobInfo(id, fields.GetValueOrDefault("JobName", ""), state, fields.GetValueOrDefault("Reason", ""),
            int.TryParse(fields.GetValueOrDefault("Restarts"), out int restarts) ? restarts : 0, node == "(null)" ? "" : node, fields.GetValueOrDefault("ExitCode", ""),
            fields.GetValueOrDefault("Command", ""));
    }
}
