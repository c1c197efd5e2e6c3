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

    /// <summary>
    /// The default materialised path of a stage output: <c>.pipelines/out/&lt;pipeline&gt;/&lt;stage&gt;/</c>, so two
    /// pipelines in one workspace that share stage ids never overwrite each other's outputs.
    /// </summary>
    public string DefaultOutputPath(string pipelineName, string stageId, StagePort port) =>
        Path.Combine(OutputDirectory, SafeSegment(pipelineName), stageId, port.Name + port.FileExtension);

    /// <summary>A pipeline name as one path segment: anything but letters, digits, '-', '_' and '.' becomes '_'.</summary>
    private static string SafeSegment(string name)
    {
        string safe = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return safe.Trim('.').Length == 0 ? "_" + safe : safe;
    }
}
