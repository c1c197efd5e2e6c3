using Microsoft.Extensions.Logging;

namespace Pipelines.Stages;

/// <summary>The log lines of the built-in stages, defined once so they read the same everywhere.</summary>
internal static partial class StageLogging
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Ingested {Source}: {Rows} rows, {Columns} columns, {BadRows} bad rows skipped.")]
    public static partial void LogIngested(this ILogger logger, string source, long rows, int columns, long badRows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: {Count} byte sequence(s) are not valid {Encoding} and were read as U+FFFD; set 'encoding' to the file's encoding, or 'encoding_errors: fail' to stop on them.")]
    public static partial void LogEncodingErrors(this ILogger logger, string source, long count, string encoding);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: a value after the first {Sample} rows needs a wider type; inferring from every row and rewriting.")]
    public static partial void LogTypesWidened(this ILogger logger, string source, int sample);

    [LoggerMessage(Level = LogLevel.Information, Message = "Validated {Rows} rows against '{Schema}': {Violations} violations.")]
    public static partial void LogValidated(this ILogger logger, long rows, string schema, long violations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Split {Rows} rows: {Train} train, {Validation} validation, {Test} test.")]
    public static partial void LogSplit(this ILogger logger, long rows, long train, long validation, long test);
}
