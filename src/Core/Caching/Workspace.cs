namespace Pipelines.Core.Caching;

/// <summary>The paths of a workspace: its root, and <c>.pipelines/</c> with cache, run cache, outputs and run logs.</summary>
public sealed class Workspace
{
    /// <summary>Creates the workspace rooted at <paramref name="root"/> (created if missing).</summary>
    public Workspace(string root)
    {
        Root = Path.GetFullPath(root);
        StateDirectory = Path.Combine(Root, ".pipelines");
        Directory.CreateDirectory(StateDirectory);
    }

    /// <summary>The workspace root (where <c>pipelines.lock</c> lives).</summary>
    public string Root { get; }

    /// <summary><c>.pipelines/</c>.</summary>
    public string StateDirectory { get; }

    /// <summary>Materialised outputs: <c>.pipelines/out/</c>.</summary>
    public string OutputDirectory => Path.Combine(StateDirectory, "out");

    /// <summary>Run logs: <c>.pipelines/runs/</c>.</summary>
    public string RunsDirectory => Path.Combine(StateDirectory, "runs");

    /// <summary>Scratch space of running stages: <c>.pipelines/tmp/</c>.</summary>
    public string TempDirectory => Path.Combine(StateDirectory, "tmp");

    /// <summary>The newest run's report: <c>.pipelines/report.html</c>.</summary>
    public string RunReportPath => Path.Combine(StateDirectory, "report.html");

    /// <summary><c>pipelines.lock</c>.</summary>
    public string LockFilePath => Path.Combine(Root, "pipelines.lock");

    /// <summary>The default materialised path of a stage output (ARCHITECTURE §7).</summary>
    public string DefaultOutputPath(string stageId, StagePort port) =>
        Path.Combine(OutputDirectory, stageId, port.Name + port.FileExtension);
}
