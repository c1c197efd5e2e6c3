namespace Pipelines.Core.Running;

/// <summary>What a run would do with one stage and why (<c>pipelines status</c>).</summary>
public sealed record StagePlanStatus(string StageId, bool WillRun, string Reason, string? Fingerprint);
