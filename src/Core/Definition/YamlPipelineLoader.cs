using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Pipelines.Core.Definition;

/// <summary>
/// Loads a pipeline from YAML into a <see cref="PipelineDefinition"/>: applies the params file and
/// <c>--set</c> overrides, substitutes <c>${params.x.y}</c>, and reports every structural problem with its line.
/// </summary>
public static partial class YamlPipelineLoader
{
    private static readonly string[] TopLevelKeys = ["name", "seed", "params", "stages", "description"];
    private static readonly string[] StageKeys = ["uses", "with", "with_from", "inputs", "outputs", "resources", "description"];

    /// <summary>Loads a pipeline file.</summary>
    public static PipelineDefinition Load(string path, PipelineOverrides? overrides = null)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path}: pipeline file not found.");
        return Parse(File.ReadAllText(path), path, overrides);
    }

    /// <summary>Parses pipeline YAML text; <paramref name="path"/> names it in messages and anchors relative inputs.</summary>
    public static PipelineDefinition Parse(string yaml, string path, PipelineOverrides? overrides = null)
    {
        overrides ??= PipelineOverrides.None;
        var problems = new List<ValidationProblem>();
        YamlNode? root;
        try
        {
            root = YamlNodeReader.Read(yaml, path);
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            int cut = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line", StringComparison.Ordinal) && cut > 0) message = message[(cut + 3)..];
            throw new PipelineValidationException([new(new SourceLocation(path, (int)ex.Start.Line, (int)ex.Start.Column), $"invalid YAML: {message}")]);
        }
        if (root is not YamlMapping top)
            throw new PipelineValidationException([new(new SourceLocation(path, root?.Location.Line ?? 1), "a pipeline file must be a mapping with 'name' and 'stages'.")]);

        foreach (var (key, _) in top.Entries)
            if (!TopLevelKeys.Contains(key.Value))
                problems.Add(new(key.Location, $"unknown key '{key.Value}'.{Suggest.DidYouMean(key.Value, TopLevelKeys)} Allowed: {string.Join(", ", TopLevelKeys)}."));

        string name = top["name"] is YamlScalar { IsNull: false } n ? n.Value : Path.GetFileNameWithoutExtension(path);
        long seed = 0;
        if (top["seed"] is { } seedNode)
        {
            if (seedNode is not YamlScalar s || !long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed))
                problems.Add(new(seedNode.Location, $"'seed' must be an integer. You entered {Describe(seedNode)}."));
        }

        var parameters = top["params"] switch
        {
            null => new JsonObject(),
            YamlMapping m => (JsonObject)ToJson(m)!,
            var other => Fail(other, "'params' must be a mapping of names to values."),
        };
        ApplyParamsFile(overrides.ParamsFile, parameters, problems);

        var stageSets = ApplySets(overrides.Sets, parameters, top["stages"] as YamlMapping, path, problems);
        var stages = ReadStages(top["stages"], path, parameters, stageSets, problems);

        if (problems.Count > 0) throw new PipelineValidationException(problems);
        return new PipelineDefinition(name, seed, parameters, stages, path) { Overrides = overrides };

        JsonObject Fail(YamlNode node, string message)
        {
            problems.Add(new(node.Location, message));
            return new JsonObject();
        }
    }

    private static void ApplyParamsFile(string? file, JsonObject parameters, List<ValidationProblem> problems)
    {
        if (file is null) return;
        if (!File.Exists(file))
        {
            problems.Add(new(new SourceLocation(file, 0), "params file not found."));
            return;
        }
        try
        {
            if (YamlNodeReader.Read(File.ReadAllText(file), file) is { } node)
            {
                if (node is YamlMapping m) ParamsTree.Merge(parameters, (JsonObject)ToJson(m)!);
                else problems.Add(new(node.Location, "a params file must be a mapping of names to values."));
            }
        }
        catch (YamlException ex)
        {
            problems.Add(new(new SourceLocation(file, (int)ex.Start.Line), $"invalid YAML: {ex.Message}"));
        }
    }

    /// <summary>Applies <c>--set</c>: params keys go to params; stage ids collect per-stage option overrides.</summary>
    private static Dictionary<string, List<(string Key, JsonNode? Value)>> ApplySets(IReadOnlyList<string> sets, JsonObject parameters,
        YamlMapping? stages, string path, List<ValidationProblem> problems)
    {
        var stageSets = new Dictionary<string, List<(string, JsonNode?)>>(StringComparer.Ordinal);
        var stageIds = stages?.Entries.Select(e => e.Key.Value).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var set in sets)
        {
            int eq = set.IndexOf('=');
            if (eq <= 0)
            {
                problems.Add(new(null, $"--set '{set}' must look like key=value (e.g. split.test_ratio=0.2)."));
                continue;
            }
            string key = set[..eq].Trim();
            var value = ScalarParser.Parse(set[(eq + 1)..].Trim());
            string head = key.Split('.')[0];
            // A param is set only where it exists: a typo must not add a param that nothing reads. Where a param
            // and a stage share a name (params.split, stage split), a key the params lack is the stage's option.
            bool isParam = ParamsTree.TryGet(parameters, key, out _);
            if (isParam) ParamsTree.Set(parameters, key, value);
            else if (parameters.ContainsKey(head) && !stageIds.Contains(head))
            {
                var paths = ParamsTree.Paths(parameters).ToArray();
                problems.Add(new(null, $"--set '{key}': the params have no '{key}'.{Suggest.DidYouMean(key, paths)} Params: {string.Join(", ", paths.Where(p => p.StartsWith(head + ".", StringComparison.Ordinal)))}."));
            }
            else if (stageIds.Contains(head) && key.Length > head.Length + 1)
            {
                if (!stageSets.TryGetValue(head, out var list)) stageSets[head] = list = [];
                list.Add((key[(head.Length + 1)..], value));
            }
            else
            {
                var candidates = parameters.Select(p => p.Key).Concat(stageIds);
                problems.Add(new(null, $"--set '{key}': '{head}' is neither a param nor a stage of {path}.{Suggest.DidYouMean(head, candidates)}"));
            }
        }
        return stageSets;
    }

    private static List<StageDefinition> ReadStages(YamlNode? node, string path, JsonObject parameters,
        Dictionary<string, List<(string Key, JsonNode? Value)>> stageSets, List<ValidationProblem> problems)
    {
        var stages = new List<StageDefinition>();
        if (node is null)
        {
            problems.Add(new(new SourceLocation(path, 1), "the pipeline has no 'stages'."));
            return stages;
        }
        if (node is YamlSequence { Items: [YamlMapping first, ..] } && first["id"] is YamlScalar { IsNull: false } listId)
        {
            // The list form (`- id: dedup`) is how other orchestrators write stages; say how to write it here.
            problems.Add(new(listId.Location, $"stages is a map of stage ids: write `{listId.Value}:` instead of `- id: {listId.Value}`, with the stage's other keys indented under it."));
            return stages;
        }
        if (node is not YamlMapping mapping)
        {
            problems.Add(new(node.Location, "'stages' must be a mapping of stage ids to stages."));
            return stages;
        }
        if (mapping.Entries.Count == 0)
        {
            problems.Add(new(node.Location, "'stages' is empty; a pipeline needs at least one stage."));
            return stages;
        }
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (idNode, body) in mapping.Entries)
        {
            string id = idNode.Value;
            if (firstLine.TryGetValue(id, out int line))
            {
                problems.Add(new(idNode.Location, $"duplicate stage id '{id}' (first declared at line {line})."));
                continue;
            }
            firstLine[id] = idNode.Location.Line;
            if (!StageIdPattern().IsMatch(id))
            {
                problems.Add(new(idNode.Location, $"stage id '{id}' must start with a letter and hold only letters, digits, '_' and '-'."));
                continue; // found by fuzzing: an empty id went on to be built into a stage and crashed
            }
            if (body is not YamlMapping stage)
            {
                problems.Add(new(body.Location, $"stage '{id}' must be a mapping with 'uses' (and 'with', 'inputs', 'outputs')."));
                continue;
            }
            stages.Add(ReadStage(id, idNode.Location, stage, parameters, stageSets.GetValueOrDefault(id), problems));
        }
        return stages;
    }

    private static StageDefinition ReadStage(string id, SourceLocation location, YamlMapping stage, JsonObject parameters,
        List<(string Key, JsonNode? Value)>? sets, List<ValidationProblem> problems)
    {
        var keyLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var (key, _) in stage.Entries)
        {
            keyLocations[key.Value] = key.Location;
            if (!StageKeys.Contains(key.Value))
                problems.Add(new(key.Location, $"stage '{id}': unknown key '{key.Value}'.{Suggest.DidYouMean(key.Value, StageKeys)} Allowed: {string.Join(", ", StageKeys)}."));
        }

        string uses = "";
        if (stage["uses"] is YamlScalar { IsNull: false } u) uses = u.Value;
        else problems.Add(new(location, $"stage '{id}' has no 'uses' (the stage kind, e.g. 'uses: dedup')."));

        var with = new JsonObject();
        if (stage["with"] is YamlMapping withMap)
        {
            foreach (var (key, value) in withMap.Entries)
            {
                keyLocations["with." + key.Value] = key.Location;
                if (with.ContainsKey(key.Value))
                {
                    problems.Add(new(key.Location, $"stage '{id}': option '{key.Value}' is given twice."));
                    continue;
                }
                with[key.Value] = Substitute(ToJson(value), parameters, value.Location, problems);
            }
        }
        else if (stage["with"] is { } w && !(w is YamlScalar { IsNull: true }))
            problems.Add(new(w.Location, $"stage '{id}': 'with' must be a mapping of option names to values."));
        foreach (var (key, value) in sets ?? [])
            ParamsTree.Set(with, key, value);

        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (stage["inputs"] is YamlMapping inputMap)
        {
            foreach (var (key, value) in inputMap.Entries)
            {
                keyLocations["inputs." + key.Value] = key.Location;
                if (value is YamlScalar { IsNull: false } s)
                    inputs[key.Value] = Substitute(JsonValue.Create(s.Value), parameters, s.Location, problems)?.ToString() ?? "";
                else
                    problems.Add(new(value.Location, $"stage '{id}': input '{key.Value}' must be a reference such as 'ingest.table' or a path such as 'data/raw.csv'."));
            }
        }
        else if (stage["inputs"] is { } i && !(i is YamlScalar { IsNull: true }))
            problems.Add(new(i.Location, $"stage '{id}': 'inputs' must be a mapping of input names to references."));

        var outputs = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (stage["outputs"])
        {
            case null or YamlScalar { IsNull: true }: break;
            case YamlSequence seq:
                foreach (var item in seq.Items)
                {
                    if (item is YamlScalar s) { outputs[s.Value] = null; keyLocations["outputs." + s.Value] = s.Location; }
                    else problems.Add(new(item.Location, $"stage '{id}': each output must be a name."));
                }
                break;
            case YamlMapping map:
                foreach (var (key, value) in map.Entries)
                {
                    keyLocations["outputs." + key.Value] = key.Location;
                    outputs[key.Value] = value is YamlScalar { IsNull: false } p ? p.Value : null;
                }
                break;
            case var other:
                problems.Add(new(other.Location, $"stage '{id}': 'outputs' must be a list of output names or a mapping of names to paths."));
                break;
        }

        string? description = stage["description"] is YamlScalar d ? d.Value : null;
        string? withFrom = stage["with_from"] is YamlScalar { IsNull: false } wf ? wf.Value : null;
        var resources = stage["resources"] is { } r ? ReadResources(id, r, keyLocations, problems) : StageResources.None;
        return new StageDefinition(id, uses, with, inputs, outputs, description, location, keyLocations, withFrom) { Resources = resources };
    }

    /// <summary>Reads <c>resources: {cpus, mem, gpus, time}</c>; each problem names its line.</summary>
    private static StageResources ReadResources(string id, YamlNode node, Dictionary<string, SourceLocation> keyLocations, List<ValidationProblem> problems)
    {
        if (node is YamlScalar { IsNull: true }) return StageResources.None;
        if (node is not YamlMapping map)
        {
            problems.Add(new(node.Location, $"stage '{id}': 'resources' must be a mapping with any of {string.Join(", ", StageResources.Keys)}."));
            return StageResources.None;
        }
        var resources = StageResources.None;
        foreach (var (key, value) in map.Entries)
        {
            keyLocations["resources." + key.Value] = key.Location;
            string? text = value is YamlScalar { IsNull: false } s ? s.Value.Trim() : null;
            if (!StageResources.Keys.Contains(key.Value))
            {
                problems.Add(new(key.Location, $"stage '{id}': unknown resource '{key.Value}'.{Suggest.DidYouMean(key.Value, StageResources.Keys)} Allowed: {string.Join(", ", StageResources.Keys)}."));
                continue;
            }
            if (string.IsNullOrEmpty(text) || text.Any(char.IsWhiteSpace))
            {
                problems.Add(new(value.Location, $"stage '{id}': resource '{key.Value}' must be a single value such as {ResourceExample(key.Value)}. You entered {Describe(value)}."));
                continue;
            }
            switch (key.Value)
            {
                case "cpus" when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int cpus) && cpus >= 1:
                    resources = resources with { Cpus = cpus };
                    break;
                case "cpus":
                    problems.Add(new(value.Location, $"stage '{id}': resource 'cpus' must be a whole number of at least 1. You entered {text}."));
                    break;
                case "mem" when MemoryPattern().IsMatch(text):
                    resources = resources with { Mem = text };
                    break;
                case "mem":
                    problems.Add(new(value.Location, $"stage '{id}': resource 'mem' must be a size such as 4G or 500M. You entered {text}."));
                    break;
                case "gpus":
                    resources = resources with { Gpus = text };
                    break;
                case "time" when TimePattern().IsMatch(text):
                    resources = resources with { Time = text };
                    break;
                default:
                    problems.Add(new(value.Location, $"stage '{id}': resource 'time' must be minutes or [D-]HH:MM:SS such as 30 or 1:00:00. You entered {text}."));
                    break;
            }
        }
        return resources;
    }

    private static string ResourceExample(string key) => key switch { "cpus" => "4", "mem" => "4G", "gpus" => "1", _ => "1:00:00" };

    [GeneratedRegex(@"^[0-9]+[KMGT]?$", RegexOptions.IgnoreCase)]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"^([0-9]+-)?[0-9]+(:[0-9]{1,2}){0,2}$")]
    private static partial Regex TimePattern();

    /// <summary>Replaces <c>${params.a.b}</c>: a whole-value reference keeps the param's type; an embedded one is text.</summary>
    private static JsonNode? Substitute(JsonNode? node, JsonObject parameters, SourceLocation location, List<ValidationProblem> problems)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToArray()) obj[key] = Substitute(value?.DeepClone(), parameters, location, problems);
                return obj;
            case JsonArray arr:
                for (int i = 0; i < arr.Count; i++) arr[i] = Substitute(arr[i]?.DeepClone(), parameters, location, problems);
                return arr;
            case JsonValue v when v.TryGetValue(out string? text) && text.Contains("${", StringComparison.Ordinal):
                var whole = WholeReference().Match(text);
                if (whole.Success) return Lookup(whole.Groups[1].Value)?.DeepClone();
                return JsonValue.Create(Reference().Replace(text, m => Lookup(m.Groups[1].Value) switch
                {
                    JsonValue value when value.TryGetValue(out string? s) => s,
                    null => "",
                    var other => other.ToJsonString(),
                }));
            default:
                return node;
        }

        JsonNode? Lookup(string key)
        {
            if (ParamsTree.TryGet(parameters, key, out var value)) return value;
            var known = Flatten(parameters, "").ToArray();
            problems.Add(new(location, $"'${{params.{key}}}' refers to a param that does not exist.{Suggest.DidYouMean(key, known)}"));
            return null;
        }
    }

    private static IEnumerable<string> Flatten(JsonObject obj, string prefix)
    {
        foreach (var (key, value) in obj)
        {
            yield return prefix + key;
            if (value is JsonObject child)
                foreach (var nested in Flatten(child, prefix + key + ".")) yield return nested;
        }
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlScalar s => ScalarParser.Parse(s.Value, s.Quoted),
        YamlSequence seq => new JsonArray(seq.Items.Select(ToJson).ToArray()),
        YamlMapping map => ToJsonObject(map),
        _ => null,
    };

    private static JsonObject ToJsonObject(YamlMapping map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Entries) obj[key.Value] = ToJson(value);
        return obj;
    }

    private static string Describe(YamlNode node) => node is YamlScalar s ? $"'{s.Value}'" : "a " + (node is YamlMapping ? "mapping" : "list");

    [GeneratedRegex(@"^\$\{params\.([A-Za-z0-9_.\-]+)\}$")]
    private static partial Regex WholeReference();

    [GeneratedRegex(@"\$\{params\.([A-Za-z0-9_.\-]+)\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_\-]*$")]
    private static partial Regex StageIdPattern();
}
