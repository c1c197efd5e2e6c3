namespace Pipelines.Stages.Ingest;

/// <summary>What one ingest wrote: rows, skipped bad rows and columns, for the stage summary.</summary>
internal sealed class IngestCounters
{
    public long Rows;
    public long BadRows;
    public int Columns;
    public long EncodingErrors;
}
