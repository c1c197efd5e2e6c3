namespace Pipelines.Synthetic;

/// <summary>How a synthesizer models a column.</summary>
public enum ColumnKind
{
    /// <summary>Integer or floating-point values (stored as <c>long?[]</c> or <c>double?[]</c>).</summary>
    Numeric,

    /// <summary>Strings treated as categories (stored as <c>string?[]</c>).</summary>
    Categorical,

    /// <summary>True/false values (stored as <c>bool?[]</c>).</summary>
    Boolean,

    /// <summary>UTC instants (stored as <c>DateTime?[]</c>).</summary>
    Timestamp,
}
