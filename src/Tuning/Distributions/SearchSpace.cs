using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Tuning;

/// <summary>
/// A fixed search space: parameter names (kept in ordinal order) and their distributions. Parsed from a
/// JSON/YAML map such as <c>lr: {float: [1e-5, 1e-2], log: true}</c>, <c>rank: {categorical: [4, 8, 16]}</c>,
/// <c>layers: {int: [1, 4], step: 1}</c>.
/// </summary>
public sealed class SearchSpace : IReadOnlyDictionary<string, Distribution>
{
    private static readonly string[] AllowedKeys = ["float", "int", "categorical", "log", "step"];
    private readonly SortedDictionary<string, Distribution> _items;

    /// <summary>Creates a search space from name/distribution pairs.</summary>
    public SearchSpace(IEnumerable<KeyValuePair<string, Distribution>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
        foreach (var (name, dist) in items)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A parameter name must not be empty.");
            }

            if (!_items.TryAdd(name, dist ?? throw new ArgumentException($"Parameter '{name}' has no distribution.")))
            {
                throw new ArgumentException($"Parameter '{name}' appears twice.");
            }
        }
    }

    /// <summary>
    /// Parses a search space map. Each entry is an object with exactly one of <c>float: [low, high]</c>,
    /// <c>int: [low, high]</c> or <c>categorical: [choices...]</c>, plus optional <c>log</c> (bool) and
    /// <c>step</c> (number). Throws <see cref="ArgumentException"/> naming the parameter and the problem.
    /// </summary>
    /// <param name="json">The map of parameter name to definition.</param>
    /// <param name="path">The name used in error messages for the map itself. Default "search_space".</param>
    public static SearchSpace Parse(JsonObject json, string path = "search_space")
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Count == 0)
        {
            throw new ArgumentException($"{path} must define at least one parameter, but it is empty.");
        }

        var items = new List<KeyValuePair<string, Distribution>>();
        foreach (var (name, node) in json)
        {
            string where = $"{path}.{name}";
            try
            {
                items.Add(new(name, ParseOne(node, where)));
            }
            catch (ArgumentException ex) when (!ex.Message.StartsWith(where, StringComparison.Ordinal))
            {
                throw new ArgumentException($"{where}: {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException)
            {
                throw new ArgumentException($"{where}: {ex.Message}", ex);
            }
        }

        return new SearchSpace(items);
    }

    private static Distribution ParseOne(JsonNode? node, string where)
    {
        if (node is not JsonObject o)
        {
            throw new ArgumentException($"{where}: expected a map such as {{float: [0.001, 0.1], log: true}}, {{int: [1, 4]}} or {{categorical: [a, b]}}, but got '{node?.ToJsonString() ?? "null"}'.");
        }

        foreach (var (key, _) in o)
        {
            if (Array.IndexOf(AllowedKeys, key) < 0)
            {
                throw new ArgumentException($"{where}: unknown key '{key}'; expected float, int or categorical, with optional log and step.");
            }
        }

        string[] kinds = ["float", "int", "categorical"];
        var present = kinds.Where(o.ContainsKey).ToArray();
        if (present.Length != 1)
        {
            throw new ArgumentException(present.Length == 0
                ? $"{where}: give one of float, int or categorical."
                : $"{where}: give only one of float, int or categorical, but got {string.Join(" and ", present)}.");
        }

        bool log = o["log"] is JsonNode l ? ReadBool(l, $"{where}.log") : false;
        JsonNode? stepNode = o["step"];
        switch (present[0])
        {
            case "float":
            {
                var (low, high) = ReadRange(o["float"], $"{where}.float");
                double? step = stepNode is null ? null : ReadNumber(stepNode, $"{where}.step");
                return new FloatDistribution(low, high, log, step);
            }

            case "int":
            {
                var (low, high) = ReadRange(o["int"], $"{where}.int");
                long step = stepNode is null ? 1 : ReadInteger(stepNode, $"{where}.step");
                return new IntDistribution(ToInteger(low, $"{where}.int"), ToInteger(high, $"{where}.int"), log, step);
            }

            default:
            {
                if (log || stepNode is not null)
                {
                    throw new ArgumentException($"{where}: log and step do not apply to a categorical parameter.");
                }

                if (o["categorical"] is not JsonArray arr)
                {
                    throw new ArgumentException($"{where}.categorical: expected a list of choices, but got '{o["categorical"]?.ToJsonString() ?? "null"}'.");
                }

                if (arr.Count == 0)
                {
                    throw new ArgumentException($"{where}.categorical: choices must contain at least one value, but got an empty list.");
                }

                return new CategoricalDistribution(arr.Select(CategoricalDistribution.ChoiceFromJson).ToList());
            }
        }
    }

    private static (double Low, double High) ReadRange(JsonNode? node, string where)
    {
        if (node is not JsonArray a || a.Count != 2)
        {
            throw new ArgumentException($"{where}: expected [low, high], but got '{node?.ToJsonString() ?? "null"}'.");
        }

        return (ReadNumber(a[0], where), ReadNumber(a[1], where));
    }

    private static double ReadNumber(JsonNode? node, string where)
    {
        if (node is JsonValue v)
        {
            JsonElement e = Internal.JsonHelpers.Element(v);
            if (e.ValueKind == JsonValueKind.Number)
            {
                return e.GetDouble();
            }

            if (e.ValueKind == JsonValueKind.String
                && double.TryParse(e.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d))
            {
                // YAML readers sometimes hand over 1e-5 as a string.
                return d;
            }
        }

        throw new ArgumentException($"{where}: expected a number, but got '{node?.ToJsonString() ?? "null"}'.");
    }

    private static long ReadInteger(JsonNode node, string where) => ToInteger(ReadNumber(node, where), where);

    private static long ToInteger(double d, string where)
        => d == Math.Floor(d) && Math.Abs(d) < 9e15
            ? (long)d
            : throw new ArgumentException($"{where}: expected an integer, but got {Internal.Invariant.Format(d)}.");

    private static bool ReadBool(JsonNode node, string where)
    {
        if (node is JsonValue v)
        {
            JsonElement e = Internal.JsonHelpers.Element(v);
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return e.GetBoolean();
            }

            if (e.ValueKind == JsonValueKind.String && bool.TryParse(e.GetString(), out bool b))
            {
                return b;
            }
        }

        throw new ArgumentException($"{where}: expected true or false, but got '{node.ToJsonString()}'.");
    }

    /// <summary>Suggests every parameter of the space on <paramref name="trial"/>, in name order.</summary>
    public IReadOnlyDictionary<string, object?> SuggestAll(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var result = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, dist) in _items)
        {
            result[name] = trial.Suggest(name, dist);
        }

        return result;
    }

    /// <summary>The space as JSON: name to distribution description.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        foreach (var (name, dist) in _items)
        {
            o[name] = dist.ToJson();
        }

        return o;
    }

    /// <inheritdoc />
    public Distribution this[string key] => _items[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _items.Keys;

    /// <inheritdoc />
    public IEnumerable<Distribution> Values => _items.Values;

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _items.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Distribution value) => _items.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Distribution>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
