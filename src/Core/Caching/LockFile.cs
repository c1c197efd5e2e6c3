using System.Globalization;
using Pipelines.Core.Internal;
using YamlDotNet.RepresentationModel;

namespace Pipelines.Core.Caching;

/// <summary>
/// <c>pipelines.lock</c>: a human-diffable YAML record, per pipeline and stage, of fingerprints, params and
/// input/output hashes (the provenance record users commit).
/// </summary>
public sealed class LockFile
{
    private readonly SortedDictionary<string, SortedDictionary<string, LockedStage>> _pipelines = new(StringComparer.Ordinal);

    /// <summary>Loads a lock file; a missing file is empty, a malformed one is a user error naming it.</summary>
    public static LockFile Load(string path)
    {
        var lockFile = new LockFile();
        if (!File.Exists(path)) return lockFile;
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path)) stream.Load(reader);
            if (stream.Documents.Count == 0) return lockFile;
            var root = (YamlMappingNode)stream.Documents[0].RootNode;
            if (!root.Children.TryGetValue(new YamlScalarNode("pipelines"), out var pipelinesNode)) return lockFile;
            foreach (var (pipelineKey, stagesNode) in ((YamlMappingNode)pipelinesNode).Children)
            {
                var stages = new SortedDictionary<string, LockedStage>(StringComparer.Ordinal);
                foreach (var (stageKey, stageNode) in ((YamlMappingNode)stagesNode).Children)
                    stages[Text(stageKey)] = ReadStage((YamlMappingNode)stageNode);
                lockFile._pipelines[Text(pipelineKey)] = stages;
            }
            return lockFile;
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidCastException or KeyNotFoundException or FormatException)
        {
            throw new UserInputException($"{path}: the lock file is malformed ({ex.Message}). Delete it to start afresh; the cache is not affected.");
        }
    }

    /// <summary>The stages recorded for a pipeline.</summary>
    public IReadOnlyDictionary<string, LockedStage> Stages(string pipeline) =>
        _pipelines.TryGetValue(pipeline, out var stages) ? stages : new SortedDictionary<string, LockedStage>();

    /// <summary>The pipelines recorded.</summary>
    public IEnumerable<string> Pipelines => _pipelines.Keys;

    /// <summary>Records a stage.</summary>
    public void Set(string pipeline, string stageId, LockedStage stage)
    {
        if (!_pipelines.TryGetValue(pipeline, out var stages)) _pipelines[pipeline] = stages = new(StringComparer.Ordinal);
        stages[stageId] = stage;
    }

    /// <summary>Drops stages no longer in the pipeline.</summary>
    public void Retain(string pipeline, IEnumerable<string> stageIds)
    {
        if (!_pipelines.TryGetValue(pipeline, out var stages)) return;
        var keep = stageIds.ToHashSet(StringComparer.Ordinal);
        foreach (var id in stages.Keys.Where(k => !keep.Contains(k)).ToArray()) stages.Remove(id);
    }

    /// <summary>Every output hash recorded (garbage collection keeps these).</summary>
    public IEnumerable<string> AllOutputHashes() => _pipelines.Values.SelectMany(s => s.Values).SelectMany(s => s.Outputs.Values.Select(o => o.Hash));

    /// <summary>Writes the file atomically.</summary>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        var pipelines = new YamlMappingNode();
        foreach (var (name, stages) in _pipelines)
        {
            var stagesNode = new YamlMappingNode();
            foreach (var (id, stage) in stages) stagesNode.Add(id, WriteStage(stage));
            pipelines.Add(name, stagesNode);
        }
        var root = new YamlMappingNode { { "schema", "1" }, { "pipelines", pipelines } };
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        string text = "# Written by `pipelines run`: what produced each output. Commit it; do not edit by hand.\n"
                      + writer.ToString().Replace("\n...\n", "\n", StringComparison.Ordinal);
        SiblingTemp.RemoveStale(path);
        return AtomicFile.WriteAllTextAsync(path, text, cancellationToken);
    }

    private static YamlMappingNode WriteStage(LockedStage stage)
    {
        var node = new YamlMappingNode
        {
            { "kind", stage.Kind },
            { "version", Quoted(stage.Version) },
            { "fingerprint", stage.Fingerprint },
            { "seed", stage.Seed.ToString(CultureInfo.InvariantCulture) },
        };
        var parameters = new YamlMappingNode();
        foreach (var (key, value) in stage.Params.OrderBy(p => p.Key, StringComparer.Ordinal)) parameters.Add(key, Quoted(value));
        node.Add("params", parameters);
        var inputs = new YamlMappingNode();
        foreach (var (name, (reference, hash)) in stage.Inputs.OrderBy(p => p.Key, StringComparer.Ordinal))
            inputs.Add(name, new YamlMappingNode { { "from", reference }, { "hash", hash } });
        node.Add("inputs", inputs);
        if (stage.OptionsFrom is { } source) node.Add("with_from", new YamlMappingNode { { "from", source.Reference }, { "hash", source.Hash } });
        var outputs = new YamlMappingNode();
        foreach (var (name, (hash, path)) in stage.Outputs.OrderBy(p => p.Key, StringComparer.Ordinal))
            outputs.Add(name, new YamlMappingNode { { "hash", hash }, { "path", path } });
        node.Add("outputs", outputs);
        if (stage.Libraries.Count > 0)
        {
            var libraries = new YamlMappingNode();
            foreach (var (name, version) in stage.Libraries.OrderBy(p => p.Key, StringComparer.Ordinal)) libraries.Add(name, Quoted(version));
            node.Add("libraries", libraries);
        }
        return node;
    }

    private static YamlScalarNode Quoted(string value) => new(value) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };

    private static LockedStage ReadStage(YamlMappingNode node)
    {
        string Get(string key) => Text(node.Children[new YamlScalarNode(key)]);
        YamlMappingNode Map(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlMappingNode m ? m : new YamlMappingNode();
        return new LockedStage
        {
            Kind = Get("kind"),
            Version = Get("version"),
            Fingerprint = Get("fingerprint"),
            Seed = long.Parse(Get("seed"), CultureInfo.InvariantCulture),
            Params = Map("params").Children.ToDictionary(p => Text(p.Key), p => Text(p.Value), StringComparer.Ordinal),
            Inputs = Map("inputs").Children.ToDictionary(p => Text(p.Key), p => (Field(p.Value, "from"), Field(p.Value, "hash")), StringComparer.Ordinal),
            Outputs = Map("outputs").Children.ToDictionary(p => Text(p.Key), p => (Field(p.Value, "hash"), Field(p.Value, "path")), StringComparer.Ordinal),
            Libraries = Map("libraries").Children.ToDictionary(p => Text(p.Key), p => Text(p.Value), StringComparer.Ordinal),
            OptionsFrom = node.Children.TryGetValue(new YamlScalarNode("with_from"), out var source) ? (Field(source, "from"), Field(source, "hash")) : null,
        };
    }

    private static string Field(YamlNode node, string key) => Text(((YamlMappingNode)node).Children[new YamlScalarNode(key)]);

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? "";
}
