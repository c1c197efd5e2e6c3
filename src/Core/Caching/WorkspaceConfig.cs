using YamlDotNet.Core;
using Pipelines.Core.Definition;

namespace Pipelines.Core.Caching;

/// <summary>
/// The workspace's own settings, in <c>pipelines.config.yaml</c> at its root (DVC's <c>.dvc/config</c>): settings
/// of this checkout, not of any pipeline, so they never enter a fingerprint. Missing file: every default.
/// </summary>
public sealed record WorkspaceConfig
{
    /// <summary>The file name, at the workspace root.</summary>
    public const string FileName = "pipelines.config.yaml";

    private static readonly string[] Keys = ["cache_type"];

    /// <summary>How outputs are materialised from the cache (<c>cache_type: reflink|copy|hardlink|symlink</c>).</summary>
    public CacheType CacheType { get; init; } = CacheType.Reflink;

    /// <summary>Reads the workspace's config file, or throws <see cref="PipelineValidationException"/> naming the line at fault.</summary>
    public static WorkspaceConfig Load(Workspace workspace)
    {
        string path = Path.Combine(workspace.Root, FileName);
        if (!File.Exists(path)) return new WorkspaceConfig();
        string display = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        YamlNode? root;
        try
        {
            root = YamlNodeReader.Read(File.ReadAllText(path), display);
        }
        catch (YamlException ex)
        {
            throw new PipelineValidationException([new(new SourceLocation(display, (int)ex.Start.Line), $"invalid YAML: {ex.InnerException?.Message ?? ex.Message}")]);
        }
        if (root is null || root is YamlScalar { IsNull: true }) return new WorkspaceConfig();
        if (root is not YamlMapping settings)
            throw new PipelineValidationException([new(root.Location, $"{FileName} must be a mapping of settings ({string.Join(", ", Keys)}).")]);

        var problems = new List<ValidationProblem>();
        var config = new WorkspaceConfig();
        foreach (var (key, value) in settings.Entries)
        {
            if (key.Value == "cache_type")
            {
                if (value is YamlScalar s && Enum.TryParse<CacheType>(s.Value, ignoreCase: true, out var type) && !int.TryParse(s.Value, out _))
                    config = config with { CacheType = type };
                else
                    problems.Add(new(value.Location, $"'cache_type' must be one of reflink, copy, hardlink, symlink; got '{(value as YamlScalar)?.Value ?? "a " + value.GetType().Name}'."));
            }
            else
            {
                problems.Add(new(key.Location, $"unknown setting '{key.Value}'.{Suggest.DidYouMean(key.Value, Keys)} Settings: {string.Join(", ", Keys)}."));
            }
        }
        return problems.Count == 0 ? config : throw new PipelineValidationException(problems);
    }
}
