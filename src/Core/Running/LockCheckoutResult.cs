namespace Pipelines.Core.Running;

/// <summary>What a checkout of <c>pipelines.lock</c> placed (workspace-relative paths) and the stages (<c>pipeline/stage</c>) it could not, for want of their outputs.</summary>
public sealed record LockCheckoutResult(IReadOnlyList<string> Placed, IReadOnlyList<string> Missing);
