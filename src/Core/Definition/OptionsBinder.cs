using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FluentValidation;

namespace Pipelines.Core.Definition;

/// <summary>
/// Binds a stage's <c>with:</c> map to its options type (snake_case keys), reporting every unknown key (with a
/// suggestion), missing required option and wrongly typed value, each with the option's name.
/// </summary>
public static class OptionsBinder
{
    /// <summary>The serializer settings of every options type: snake_case names, strict numbers, enums as snake_case strings.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = CreateSerializerOptions();

    // One settings object per property-level converter type, built once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, JsonSerializerOptions> ConverterOptions = new();

    static OptionsBinder() => StageConventions.EnsureConfigured();

    /// <summary>Binds <paramref name="with"/> to <paramref name="optionsType"/>; null and problems when it cannot.</summary>
    public static object? Bind(Type optionsType, JsonObject with, Func<string, ICollection<string>, string> describeProblem, ICollection<string> problems)
    {
        var properties = optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite || p.GetCustomAttribute<JsonIncludeAttribute>() is not null)
            .ToDictionary(JsonName, StringComparer.Ordinal);
        int before = problems.Count;

        foreach (var (key, value) in with)
        {
            if (!properties.TryGetValue(key, out var property))
            {
                problems.Add(describeProblem(key, [$"unknown option '{key}'.{Suggest.DidYouMean(key, properties.Keys)}" +
                    (properties.Count > 0 ? $" Options of this stage: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}." : " This stage takes no options.")]));
                continue;
            }
            try
            {
                JsonSerializer.Deserialize(value, property.PropertyType, PropertySerializerOptions(property));
                if (value is null && !IsNullable(property))
                    problems.Add(describeProblem(key, [$"'{key}' must be {Describe(property.PropertyType)}. You entered null."]));
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException)
            {
                string where = ex is JsonException { Path: { Length: > 1 } path } && path != "$" ? $" (at {key}{path.TrimStart('$')})" : "";
                string detail = ex is JsonException && ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? " It has an unknown key." : "";
                problems.Add(describeProblem(key, [$"'{key}' must be {Describe(property.PropertyType)}{where}. You entered {Show(value)}.{detail}"]));
            }
        }

        foreach (var (name, property) in properties)
        {
            bool required = property.GetCustomAttribute<RequiredMemberAttribute>() is not null || property.GetCustomAttribute<JsonRequiredAttribute>() is not null;
            if (required && !with.ContainsKey(name))
                problems.Add(describeProblem(name, [$"missing required option '{name}' ({Describe(property.PropertyType)})."]));
        }

        if (problems.Count > before) return null;
        try
        {
            return JsonSerializer.Deserialize(with, optionsType, SerializerOptions)
                   ?? throw new JsonException("The options deserialised to null.");
        }
        catch (JsonException ex)
        {
            problems.Add(describeProblem("", [$"invalid options: {ex.Message}"]));
            return null;
        }
    }

    /// <summary>
    /// The settings to check one property's value with: a property's own <see cref="JsonConverterAttribute"/>
    /// (e.g. <see cref="ScalarTextConverter"/>) applies to the whole object's binding, so it must apply here too.
    /// </summary>
    private static JsonSerializerOptions PropertySerializerOptions(PropertyInfo property)
    {
        if (property.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType is not { } converterType) return SerializerOptions;
        return ConverterOptions.GetOrAdd(converterType, type =>
        {
            var options = new JsonSerializerOptions(SerializerOptions);
            options.Converters.Add((JsonConverter)Activator.CreateInstance(type)!);
            options.MakeReadOnly(populateMissingResolver: true);
            return options;
        });
    }

    /// <summary>Binds or throws <see cref="UserInputException"/> (for code that binds outside a pipeline).</summary>
    public static T Bind<T>(JsonObject with) where T : class
    {
        var problems = new List<string>();
        var result = Bind(typeof(T), with, (_, messages) => messages.First(), problems);
        return problems.Count == 0 ? (T)result! : throw new UserInputException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>The snake_case JSON of an options object, defaults included (what fingerprints hash).</summary>
    public static JsonObject ToJson(object options) =>
        JsonSerializer.SerializeToNode(options, options.GetType(), SerializerOptions) as JsonObject ?? new JsonObject();

    /// <summary>The YAML/JSON name of a property.</summary>
    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);

    private static bool IsNullable(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null
        || (!property.PropertyType.IsValueType && new NullabilityInfoContext().Create(property).WriteState != NullabilityState.NotNull);

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "text";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return "an integer";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n)));
        if (type == typeof(JsonNode) || type == typeof(JsonElement)) return "a value";
        if (typeof(IDictionary).IsAssignableFrom(type) || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
            || type == typeof(JsonObject)) return "a mapping";
        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type)) return "a list";
        return "a mapping";
    }

    private static string Show(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue(out string? s) => $"'{s}'",
        JsonObject => "a mapping",
        JsonArray => "a list",
        _ => value.ToJsonString(),
    };

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
