using YamlDotNet.Core;
using Pipelines.Core.Definition;
using Pipelines.Core.Remotes;

namespace Pipelines.Core.Caching;

/// <summary>
/// The workspace's own settings, in <c>pipelines.config.yaml</c> at its root (DVC's <c>.dvc/config</c>): settings
/// of this checkout, not of any pipeline, so they never enter a fingerprint. Missing file: every default.
/// </summary>
public sealed record WorkspaceConfig
{
    /// <summary>The file name, at the workspace root.</summary>
    public const string FileName = "pipelines.config.yaml";

    private static readonly string[] Keys = ["cache_type", "remotes", "default_remote"];
    private static readonly string[] RemoteKeys = ["url", "endpoint", "region", "force_path_style"];

    /// <summary>How outputs are materialised from the cache (<c>cache_type: reflink|copy|hardlink|symlink</c>).</summary>
    public CacheType CacheType { get; init; } = CacheType.Reflink;

    /// <summary>Shared caches by name (<c>remotes:</c>); empty when none is configured.</summary>
    public IReadOnlyDictionary<string, RemoteConfig> Remotes { get; init; } = new Dictionary<string, RemoteConfig>(StringComparer.Ordinal);

    /// <summary>The remote <c>push</c>, <c>pull</c> and read-through use without <c>--remote</c>: <c>default_remote</c>, else the only one.</summary>
    public string? DefaultRemote { get; init; }

    /// <summary>
    /// The remote named <paramref name="name"/>, or the default one; null when no remote is configured and none was
    /// asked for. An unknown name, or several remotes and no default, is the user's to fix.
    /// </summary>
    public RemoteConfig? Remote(string? name)
    {
        if (name is not null)
            return Remotes.TryGetValue(name, out var named) ? named
                : throw new UserInputException($"{FileName} has no remote '{name}'.{Suggest.DidYouMean(name, Remotes.Keys)}"
                    + (Remotes.Count == 0 ? " It configures none (add a 'remotes:' map; see docs/remotes.md)." : $" Remotes: {string.Join(", ", Remotes.Keys)}."));
        if (DefaultRemote is not null) return Remotes[DefaultRemote];
        return Remotes.Count switch
        {
            0 => null,
            1 => Remotes.Values.First(),
            _ => throw new UserInputException($"{FileName} has {Remotes.Count} remotes and no 'default_remote'; name one with --remote ({string.Join(", ", Remotes.Keys)})."),
        };
    }

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
        YamlScalar? defaultRemote = null;
        foreach (var (key, value) in settings.Entries)
        {
            if (key.Value == "remotes")
            {
                config = config with { Remotes = ReadRemotes(value, problems) };
            }
            else if (key.Value == "default_remote")
            {
                if (value is YamlScalar { IsNull: false } name) defaultRemote = name;
                else problems.Add(new(value.Location, "'default_remote' must name a remote under 'remotes'."));
            }
            else if (key.Value == "cache_type")
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
        if (defaultRemote is not null)
        {
            if (config.Remotes.ContainsKey(defaultRemote.Value)) config = config with { DefaultRemote = defaultRemote.Value };
            else problems.Add(new(defaultRemote.Location, $"'default_remote' names '{defaultRemote.Value}', which is not under 'remotes'.{Suggest.DidYouMean(defaultRemote.Value, config.Remotes.Keys)}"));
        }
        return problems.Count == 0 ? config : throw new PipelineValidationException(problems);
    }

    private static Dictionary<string, RemoteConfig> ReadRemotes(YamlNode node, List<ValidationProblem> problems)
    {
        var remotes = new Dictionary<string, RemoteConfig>(StringComparer.Ordinal);
        if (node is YamlScalar { IsNull: true }) return remotes;
        if (node is not YamlMapping map)
        {
            problems.Add(new(node.Location, "'remotes' must map names to {url: DIR or s3://bucket/prefix, endpoint?, region?, force_path_style?}."));
            return remotes;
        }
        foreach (var (name, value) in map.Entries)
        {
            if (remotes.ContainsKey(name.Value)) { problems.Add(new(name.Location, $"remote '{name.Value}' is defined twice.")); continue; }
            if (name.Value.Length == 0 || !name.Value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                problems.Add(new(name.Location, $"remote name '{name.Value}' may hold only letters, digits, '-', '_' and '.'."));
                continue;
            }
            if (value is not YamlMapping fields)
            {
                problems.Add(new(value.Location, $"remote '{name.Value}' must be a mapping with at least 'url'."));
                continue;
            }
            string? url = null, endpoint = null, region = null;
            bool? pathStyle = null;
            foreach (var (field, fieldValue) in fields.Entries)
            {
                string? text = fieldValue is YamlScalar { IsNull: false } s ? s.Value : null;
                if (text is null) { problems.Add(new(fieldValue.Location, $"remote '{name.Value}': '{field.Value}' must be a value.")); continue; }
                switch (field.Value)
                {
                    case "url": url = text; break;
                    case "endpoint":
                        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") endpoint = text;
                        else problems.Add(new(fieldValue.Location, $"remote '{name.Value}': 'endpoint' must be an http(s) URL; got '{text}'."));
                        break;
                    case "region": region = text; break;
                    case "force_path_style":
                        if (bool.TryParse(text, out bool b)) pathStyle = b;
                        else problems.Add(new(fieldValue.Location, $"remote '{name.Value}': 'force_path_style' must be true or false; got '{text}'."));
                        break;
                    case "access_key_id" or "secret_access_key" or "aws_access_key_id" or "aws_secret_access_key":
                        problems.Add(new(field.Location, $"remote '{name.Value}': credentials do not belong in {FileName}; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)."));
                        break;
                    default:
                        problems.Add(new(field.Location, $"remote '{name.Value}': unknown setting '{field.Value}'.{Suggest.DidYouMean(field.Value, RemoteKeys)} Settings: {string.Join(", ", RemoteKeys)}."));
                        break;
                }
            }
            if (url is null) { problems.Add(new(fields.Location, $"remote '{name.Value}' needs a 'url' (a directory or s3://bucket/prefix).")); continue; }
            var remote = new RemoteConfig { Name = name.Value, Url = url, Endpoint = endpoint, Region = region, ForcePathStyle = pathStyle };
            if (remote.IsS3 && !S3Location.TryParse(url, out _))
                problems.Add(new(fields["url"]!.Location, $"remote '{name.Value}': '{url}' is not s3://bucket or s3://bucket/prefix."));
            else if (!remote.IsS3 && (endpoint ?? region) is not null)
                problems.Add(new(fields.Location, $"remote '{name.Value}': 'endpoint' and 'region' apply only to s3:// remotes."));
            remotes[name.Value] = remote;
        }
        return remotes;
    }
}
