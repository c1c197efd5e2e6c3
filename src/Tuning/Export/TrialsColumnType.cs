namespace Pipelines.Tuning;

/// <summary>The type of a column of a <see cref="TrialsTable"/>; values are nullable arrays of the matching CLR type.</summary>
public enum TrialsColumnType
{
    /// <summary><c>long?[]</c>.</summary>
    Int64,

    /// <summary><c>double?[]</c>.</summary>
    Double,

    /// <summary><c>string?[]</c>.</summary>
    String,

    /// <summary><c>DateTime?[]</c> (UTC).</summary>
    Timestamp,
}
