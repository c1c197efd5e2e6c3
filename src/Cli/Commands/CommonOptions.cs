using System.CommandLine;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
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

    /// <summary>A runner over the workspace, materialising outputs as its <c>pipelines.config.yaml</c> says.</summary>
    public static PipelineRunner CreateRunner(Workspace workspace) =>
        new(workspace, StageCatalog.CreateRegistry(), cacheType: WorkspaceConfig.Load(workspace).CacheType);

    public static PipelineDefinition LoadPipeline(FileInfo file, string[]? sets, FileInfo? paramsFile) =>
        YamlPipelineLoader.Load(file.FullName.StartsWith(Directory.GetCurrentDirectory(), StringComparison.Ordinal)
            ? Path.GetRelativePath(Directory.GetCurrentDirectory(), file.FullName) : file.FullName,
            new PipelineOverrides { Sets = sets ?? [], ParamsFile = paramsFile?.FullName });
}
