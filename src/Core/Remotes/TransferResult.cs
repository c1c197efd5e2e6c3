namespace Pipelines.Core.Remotes;

/// <summary>
/// What a push or pull did: stages transferred and already in place, files (blobs and run-cache entries) and bytes moved, and one line per stage
/// left out (not in the local cache, not on the remote, corrupt there).
/// </summary>
public sealed record TransferResult(int StagesTransferred, int StagesAlreadyThere, int Files, long Bytes, IReadOnlyList<string> Problems);
