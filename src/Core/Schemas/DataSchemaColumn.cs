using Pipelines.Core.Tables;

namespace Pipelines.Core.Schemas;

/// <summary>One column of a <see cref="DataSchema"/> and the rules its values obey.</summary>
public sealed record DataSchemaColumn
{
    /// <summary>Column name.</summary>
    public required string Name { get; init; }
    /// <summary>Logical type.</summary>
    public required ColumnType Type { get; init; }
    /// <summary>Whether nulls are allowed (default true).</summary>
    public bool Nullable { get; init; } = true;
    /// <summary>Smallest allowed value (numbers).</summary>
    public double? Min { get; init; }
    /// <summary>Largest allowed value (numbers).</summary>
    public double? Max { get; init; }
    /// <summary>The only values allowed (text), when set.</summary>
    public IReadOnlyList<string>? Allowed { get; init; }
    /// <summary>A regular expression every text value must match in full, when set.</summary>
    public string? Pattern { get; init; }
    /// <summary>Whether values must be distinct.</summary>
    public bool Unique { get; init; }
    /// <summary>Longest allowed text, in characters.</summary>
    public int? MaxLength { get; init; }
}
