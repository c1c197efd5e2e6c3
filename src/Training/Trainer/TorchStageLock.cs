namespace Pipelines.Training;

/// <summary>
/// One LibTorch stage at a time in a process. LibTorch's default random generator (<c>manual_seed</c>, dropout,
/// initialisation) and its intra-op thread count are process-wide, so two training stages run side by side (the
/// runner's <c>--jobs</c>) would draw from one generator in an order that depends on timing, and a stage would
/// change the other's thread count: their outputs would differ run to run. Stages that run LibTorch hold this for
/// their whole run; the other stages still run alongside.
/// </summary>
public static class TorchStageLock
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Waits for the lock; dispose the result to release it.</summary>
    public static async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser();
    }

    private sealed class Releaser : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Gate.Release();
            }
        }
    }
}
