namespace Pipelines.Synthetic;

/// <summary>The element type of a column's value array; mirrors Core's Parquet column types.</summary>
public enum ColumnStorage
{
    /// <summary><c>bool?[]</c>.</summary>
    Boolean,

    /// <summary><c>long?[]</c>.</summary>
    Int64,

    /// <summary><c>double?[]</c>.</summary>
    Double,

    /// <summary><c>string?[]</c>.</summary>
    String,

    /// <summary><c>DateTime?[]</c> (UTC).</summary>
    Timestamp,
}
