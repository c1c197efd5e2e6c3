using Pipelines.Core.Running;

namespace Pipelines.Core.Remotes;

/// <summary>
/// Read-through restore during <c>run</c>: a stage the local run cache misses is fetched from the default remote
/// before it is computed. A remote that fails (unreachable, refusing, corrupt) costs a warning and the stage is
/// computed; after one such failure the remote is not asked again in this run, so a dead link costs one timeout.
/// </summary>
public sealed class RemoteReadThrough : IRunCacheFallback
{
    private readonly RemoteSync _sync;
    private readonly Action<string> _warn;
    private int _disabled;
    private int _fetched;

    /// <summary>Creates the fallback; <paramref name="warn"/> receives one line per problem.</summary>
    public RemoteReadThrough(RemoteSync sync, Action<string> warn)
    {
        _sync = sync;
        _warn = warn;
    }

    /// <summary>Stages fetched from the remote so far.</summary>
    public int Fetched => _fetched;

    /// <inheritdoc />
    public async Task<bool> TryFetchAsync(string fingerprint, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disabled) == 1) return false;
        try
        {
            bool found = await _sync.FetchStageAsync(fingerprint, cancellationToken).ConfigureAwait(false);
            if (found) Interlocked.Increment(ref _fetched);
            return found;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (RemoteIntegrityException ex)
        {
            _warn($"{ex.Message} The stage is computed instead.");
            return false;
        }
        catch (Exception ex)
        {
            // Anything else (network, credentials, a full disk while importing) must not fail a run that can compute.
            // Stages that asked at once all fail; one line says so.
            if (Interlocked.Exchange(ref _disabled, 1) == 0)
                _warn($"remote {_sync.Remote.Location} is not usable ({ex.Message}); stages missing locally are computed, and the remote is not asked again this run.");
            return false;
        }
    }
}
