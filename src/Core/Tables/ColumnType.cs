namespace Pipelines.Core.Tables;

/// <summary>The logical types a table column can have. Foreign Parquet types are widened to these.</summary>
public enum ColumnType
{
    /// <summary>true/false; arrays are <c>bool?[]</c>.</summary>
    Boolean,
    /// <summary>Any integer width; arrays are <c>long?[]</c>.</summary>
    Int64,
    /// <summary>Any floating or decimal type; arrays are <c>double?[]</c>.</summary>
    Double,
    /// <summary>UTF-8 text; arrays are <c>string?[]</c>.</summary>
    String,
    /// <summary>A UTC point in time; arrays are <c>DateTime?[]</c>.</summary>
    Timestamp,
    /// <summary>A list of 32-bit floats per row (an embedding; Parquet <c>list&lt;float&gt;</c>); arrays are <c>float[]?[]</c>.</summary>
    FloatList,
}
