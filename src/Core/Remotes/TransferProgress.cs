namespace Pipelines.Core.Remotes;

/// <summary>Progress of a transfer: items done of the total, and the last one (a hash or a stage id).</summary>
public readonly record struct TransferProgress(int Done, int Total, string Item);
