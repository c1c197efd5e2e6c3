namespace Pipelines.Tuning;

/// <summary>Names of the system attributes the library writes.</summary>
internal static class SystemAttrKeys
{
    public const string FailReason = "fail_reason";
    public const string FixedParams = "fixed_params";
    public const string RetriedFrom = "retried_from";
    public const string GridId = "grid_id";
    public const string CompletedRungPrefix = "completed_rung_";
    public const string BatchStart = "batch_start";
}
