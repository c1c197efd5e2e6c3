namespace Pipelines.Stages.Ingest;

/// <summary>Defaults and limits of <c>ingest</c>.</summary>
internal static class IngestConstants
{
    public const int DefaultRowGroupSize = 65_536;
    public const int DefaultInferenceSample = 100_000;
    public const int MinRowGroupSize = 1;
    public const int MaxRowGroupSize = 4_194_304;
}
