using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// LibTorch's intra-op thread count, set before training or scoring. A matrix product or reduction split over N
/// threads adds in an N-dependent order, so the same seed gives different last bits on a 4-core and a 16-core
/// machine (measured: a 4-thread run's third loss differs from the 1- and 2-thread runs'). One thread, the default,
/// makes the trained weights identical on every machine; it costs little at the model sizes pipelines pretrain here.
/// The count is process-wide and deliberately not restored: a restore by one stage while another trains would
/// change the other's thread count half-way.
/// </summary>
internal static class TorchThreads
{
    /// <summary>Sets <paramref name="threads"/> intra-op threads; 0 leaves LibTorch's default (all cores).</summary>
    public static void Use(int threads)
    {
        if (threads > 0 && get_num_threads() != threads)
        {
            set_num_threads(threads);
        }
    }
}
