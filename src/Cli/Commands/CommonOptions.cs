using System.CommandLine;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Remotes;
using Pipelines.Core.Running;

namespace Pipelines.Cli.Commands;

/// <summary>Options several verbs share.</summary>
internal static class CommonOptions
{
    public static Argument<FileInfo> PipelineFile() => new("pipeline") { Description = "The pipeline YAML file (e.g. pipelines/quickstart.yaml)." };

    public static Option<string[]> Set() => new("--set", "-S")
    {
        Description = "Override a param or a stage option: key=value (e.g. split.test=0.2). Repeatable.",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<FileInfo?> ParamsFile() => new("--params") { Description = "A YAML file of params merged over the pipeline's own." };

    public static Option<DirectoryInfo?> Workspace() => new("--workspace", "-w") { Description = "The workspace root holding .pipelines/ and pipelines.lock (default: the current directory)." };

    public static Option<bool> NoColor() => new("--no-color") { Description = "Plain output without colours or live progress." };

    public static Workspace OpenWorkspace(DirectoryInfo? directory) => new(directory?.FullName ?? Directory.GetCurrentDirectory());

    /// <summary>
    /// A runner over the workspace, materialising outputs as its <c>pipelines.config.yaml</c> says. With
    /// <paramref name="readThroughWarnings"/>, a stage the local run cache misses is looked up on the default remote
    /// (when one is configured), and the remote's failures are written there as warnings.
    /// </summary>
    public static PipelineRunner CreateRunner(Workspace workspace, Action<string>? readThroughWarnings = null)
    {
        var config = WorkspaceConfig.Load(workspace);
        return new(workspace, StageCatalog.CreateRegistry(), cacheType: config.CacheType, remote: ReadThrough(workspace, config, readThroughWarnings));
    }

    /// <summary>The default remote as a read-through for <c>run</c>, or null (no warnings sink, no default remote, or unreachable: warned).</summary>
    public static IRunCacheFallback? ReadThrough(Workspace workspace, WorkspaceConfig config, Action<string>? readThroughWarnings)
    {
        // Several remotes and no default_remote: nothing to read through (push and pull ask for --remote instead).
        if (readThroughWarnings is null || !(config.Remotes.Count == 1 || config.DefaultRemote is not null) || config.Remote(null) is not { } defaultRemote)
        {
            return null;
        }

        try
        {
            return new RemoteReadThrough(RemoteFactory.Sync(defaultRemote, workspace, new LocalArtifactStore(workspace.StateDirectory)), readThroughWarnings);
        }
        catch (RemoteUnavailableException ex)
        {
            readThroughWarnings($"{ex.Message} Stages missing locally are computed.");
            return null;
        }
    }

    /// <summary>The remote named by <c>--remote</c>, or the default; a workspace without remotes is the user's to fix.</summary>
    public static RemoteConfig ResolveRemote(Workspace workspace, string? name) =>
        WorkspaceConfig.Load(workspace).Remote(name)
        ?? throw new UserInputException($"{Path.Combine(workspace.Root, WorkspaceConfig.FileName)} configures no remote; add one under 'remotes:' (see docs/remotes.md).");

    public static PipelineDefinition LoadPipeline(FileInfo file, string[]? sets, FileInfo? paramsFile) =>
        YamlPipelineLoader.Load(file.FullName.StartsWith(Directory.GetCurrentDirectory(), StringComparison.Ordinal)
            ? Path.GetRelativePath(Directory.GetCurrentDirectory(), file.FullName) : file.FullName,
            new PipelineOverrides { Sets = sets ?? [], ParamsFile = paramsFile?.FullName });
}
