namespace Pipelines.Stages.Ingest;

/// <summary>A malformed input row: names the file, line and column.</summary>
internal sealed class BadRowException(string message) : Exception(message);
