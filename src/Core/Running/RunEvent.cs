using Microsoft.Extensions.Logging;

namespace Pipelines.Core.Running;

/// <summary>Something that happened in a run; consumed by the console UI and the run log.</summary>
public abstract record RunEvent(string StageId);

/// <summary>The plan is ready: stages in order.</summary>
public sealed record RunPlanned(IReadOnlyList<string> StageIds) : RunEvent("");

/// <summary>A stage starts computing; <paramref name="Reason"/> says why it runs.</summary>
public sealed record StageStarted(string StageId, string Reason, string Fingerprint) : RunEvent(StageId);

/// <summary>A running stage reported progress.</summary>
public sealed record StageProgressed(string StageId, StageProgress Progress) : RunEvent(StageId);

/// <summary>A stage logged a line.</summary>
public sealed record StageLogged(string StageId, LogLevel Level, string Message) : RunEvent(StageId);

/// <summary>A stage ended (ran, restored, failed or skipped).</summary>
public sealed record StageFinished(string StageId, StageOutcome Outcome) : RunEvent(StageId);
