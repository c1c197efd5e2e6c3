using System.Text.Json.Serialization;

namespace Pipelines.Stages.Ingest;

/// <summary>Options of the <c>ingest</c> stage.</summary>
public sealed class IngestOptions
{
    /// <summary>Input format; <c>auto</c> (default) picks by file extension (.csv/.tsv/.data, .jsonl/.ndjson, .parquet).</summary>
    public IngestFormat Format { get; set; } = IngestFormat.Auto;

    /// <summary>CSV field delimiter, one character (default <c>,</c>; <c>\t</c> for tab).</summary>
    public string Delimiter { get; set; } = ",";

    /// <summary>Whether the CSV's first record holds column names (default true).</summary>
    public bool Header { get; set; } = true;

    /// <summary>Column names to use (required when <c>header</c> is false; renames when given with a header).</summary>
    public List<string>? Columns { get; set; }

    /// <summary>Text encoding of CSV/JSONL files (default <c>utf-8</c>).</summary>
    public string Encoding { get; set; } = "utf-8";

    /// <summary>
    /// Bytes that are not valid in <see cref="Encoding"/>: <c>replace</c> (default) reads them as U+FFFD and warns with
    /// a count (<c>encoding_errors</c> in the stage summary); <c>fail</c> stops, naming the file and line.
    /// </summary>
    public EncodingErrorPolicy EncodingErrors { get; set; } = EncodingErrorPolicy.Replace;

    /// <summary>Trim spaces around unquoted CSV fields (default false).</summary>
    public bool Trim { get; set; }

    /// <summary>Cells read as null (default: empty, NA, N/A, null, NULL).</summary>
    public List<string> NaValues { get; set; } = ["", "NA", "N/A", "null", "NULL"];

    /// <summary>What to do with a malformed row: <c>fail</c> (default, naming file, line and column) or <c>skip</c> (counted).</summary>
    public BadRowPolicy OnBadRows { get; set; } = BadRowPolicy.Fail;

    /// <summary>Rows per Parquet row group (default 65,536): the unit of memory when streaming.</summary>
    public int RowGroupSize { get; set; } = IngestConstants.DefaultRowGroupSize;

    /// <summary>
    /// Rows sampled to infer column types (0, the default, means 100,000). A later value that does not fit makes
    /// ingest infer from every row and write again, so the sample size changes speed, never the result.
    /// </summary>
    public int InferRows { get; set; }

    /// <summary>
    /// The source data's licence as an SPDX identifier (<c>CC-BY-4.0</c>), for the data card. Left out of the
    /// fingerprint when unset, so pipelines that declare none keep their cache.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? License { get; set; }
}

/// <summary>Input formats of <c>ingest</c>.</summary>
public enum IngestFormat
{
    /// <summary>By extension.</summary>
    Auto,
    /// <summary>RFC 4180 CSV.</summary>
    Csv,
    /// <summary>One JSON object per line.</summary>
    Jsonl,
    /// <summary>Parquet from any writer.</summary>
    Parquet,
}

/// <summary>What ingest does with bytes its encoding cannot decode.</summary>
public enum EncodingErrorPolicy
{
    /// <summary>Read them as U+FFFD, count them and warn.</summary>
    Replace,
    /// <summary>Stop with an error naming the file and line.</summary>
    Fail,
}

/// <summary>What ingest does with malformed rows.</summary>
public enum BadRowPolicy
{
    /// <summary>Stop with an error naming the file, line and column.</summary>
    Fail,
    /// <summary>Drop the row and count it (<c>bad_rows</c> in the stage summary).</summary>
    Skip,
}
