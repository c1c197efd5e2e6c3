using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>A parameter that takes one of a fixed list of choices (null, bool, integer, double or string).</summary>
public sealed class CategoricalDistribution : Distribution
{
    private readonly object?[] _choices;

    /// <summary>Creates the distribution; throws <see cref="ArgumentException"/> when there are no choices or a choice has an unsupported type.</summary>
    public CategoricalDistribution(IEnumerable<object?> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        _choices = choices.Select(Normalize).ToArray();
        if (_choices.Length == 0)
        {
            throw new ArgumentException("choices must contain at least one value, but got an empty list.");
        }
    }

    /// <summary>The choices, with integers as <see cref="long"/> and floats as <see cref="double"/>.</summary>
    public IReadOnlyList<object?> Choices => _choices;

    /// <inheritdoc />
    public override bool IsSingle => _choices.Length == 1;

    /// <inheritdoc />
    public override object? ToExternal(double internalValue) => _choices[(int)internalValue];

    /// <inheritdoc />
    public override double ToInternal(object? externalValue)
    {
        object? v = Normalize(externalValue);
        for (int i = 0; i < _choices.Length; i++)
        {
            if (Equals(_choices[i], v))
            {
                return i;
            }
        }

        throw new ArgumentException($"'{Invariant.Format(externalValue)}' is not one of the choices {this}.");
    }

    /// <inheritdoc />
    public override bool Contains(double internalValue)
        => internalValue >= 0 && internalValue < _choices.Length && internalValue == Math.Floor(internalValue);

    /// <inheritdoc />
    internal override double FromUnit(double u) => Math.Min((int)Math.Floor(u * _choices.Length), _choices.Length - 1);

    /// <inheritdoc />
    public override JsonObject ToJson()
    {
        // Written by hand so that 2.0 stays a double ("2.0") and 2 stays an integer on the way back.
        var sb = new StringBuilder("[");
        for (int i = 0; i < _choices.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(ChoiceToJson(_choices[i]));
        }

        sb.Append(']');
        return new JsonObject { ["type"] = "categorical", ["choices"] = JsonNode.Parse(sb.ToString()) };
    }

    /// <summary>The JSON text of one choice (doubles always carry a decimal point or exponent).</summary>
    internal static string ChoiceToJson(object? choice) => choice switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => FormatDouble(d),
        double d => JsonSerializer.Serialize(Invariant.Format(d)),
        string s => JsonSerializer.Serialize(s),
        _ => throw new ArgumentException($"Unsupported choice type {choice.GetType().Name}."),
    };

    private static string FormatDouble(double d)
    {
        string s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') || s.Contains('e') ? s : s + ".0";
    }

    /// <summary>Reads one choice from JSON (numbers with a '.' or exponent become doubles).</summary>
    internal static object? ChoiceFromJson(JsonNode? node)
    {
        try
        {
            return JsonHelpers.Scalar(node);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Unsupported categorical choice: {ex.Message}", ex);
        }
    }

    internal static CategoricalDistribution FromJsonObject(JsonObject json)
    {
        var arr = json["choices"] as JsonArray ?? throw new ArgumentException("Categorical distribution JSON has no 'choices' array.");
        return new CategoricalDistribution(arr.Select(ChoiceFromJson).ToList());
    }

    private static object? Normalize(object? choice) => choice switch
    {
        null => null,
        bool or long or double or string => choice,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        float f => (double)f,
        decimal m => (double)m,
        _ => throw new ArgumentException($"A categorical choice must be null, a bool, an integer, a float or a string, but got a {choice.GetType().Name}."),
    };

    /// <inheritdoc />
    public override bool Equals(Distribution? other)
        => other is CategoricalDistribution c && c._choices.SequenceEqual(_choices);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (object? c in _choices)
        {
            h.Add(c);
        }

        return h.ToHashCode();
    }
}
