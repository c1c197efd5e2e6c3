using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Core.Definition;

/// <summary>Configures one stage of a <see cref="Pipeline"/>.</summary>
public sealed class StageBuilder
{
    private readonly string _id;
    private readonly string _uses;
    private readonly JsonObject _with = new();
    private readonly Dictionary<string, string> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _outputs = new(StringComparer.Ordinal);
    private string? _description;
    private string? _withFrom;
    private StageResources _resources = StageResources.None;

    internal StageBuilder(string id, string uses)
    {
        _id = id;
        _uses = uses;
    }

    /// <summary>Sets an option (<c>with:</c> key) to a scalar, list or map.</summary>
    public StageBuilder With(string key, object? value)
    {
        ParamsTree.Set(_with, key, ToNode(value));
        return this;
    }

    /// <summary>Merges options given as a JSON object.</summary>
    public StageBuilder With(JsonObject options)
    {
        ParamsTree.Merge(_with, options);
        return this;
    }

    /// <summary>Connects an input to <c>stage.output</c> or a path relative to the pipeline's base directory.</summary>
    public StageBuilder Input(string name, string reference)
    {
        _inputs[name] = reference;
        return this;
    }

    /// <summary>Declares an output, optionally materialised at <paramref name="path"/>.</summary>
    public StageBuilder Output(string name, string? path = null)
    {
        _outputs[name] = path;
        return this;
    }

    /// <summary>Merges options from another stage's JSON output when the stage runs (e.g. <c>tune.best_params</c>).</summary>
    public StageBuilder WithFrom(string reference)
    {
        _withFrom = reference;
        return this;
    }

    /// <summary>Says what the stage asks of the machine it runs on (never part of a fingerprint).</summary>
    public StageBuilder Resources(StageResources resources)
    {
        _resources = resources;
        return this;
    }

    /// <summary>Describes the stage (never part of a fingerprint).</summary>
    public StageBuilder Description(string text)
    {
        _description = text;
        return this;
    }

    internal StageDefinition Build() => new(_id, _uses, (JsonObject)_with.DeepClone(), _inputs, _outputs, _description, withFrom: _withFrom) { Resources = _resources };

    internal static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int or long or short or byte or sbyte or uint => JsonValue.Create(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
        float or double or decimal => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        IDictionary dict => ToObject(dict),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToNode).ToArray()),
        _ => JsonSerializer.SerializeToNode(value, OptionsBinder.SerializerOptions),
    };

    private static JsonObject ToObject(IDictionary dict)
    {
        var obj = new JsonObject();
        foreach (DictionaryEntry e in dict) obj[Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture)!] = ToNode(e.Value);
        return obj;
    }
}
