namespace Pipelines.Synthetic;

/// <summary>
/// Per-row random numbers that do not depend on how rows are batched: rows are visited in order
/// and each block of <see cref="BlockRows"/> rows has its own stream of the seed.
/// </summary>
internal sealed class RowStreams
{
    public const int BlockRows = 1024;

    private readonly long _seed;
    private long _block;
    private SeededRandom _random;

    public RowStreams(long seed)
    {
        _seed = seed;
        _block = -1;
        _random = default;
    }

    /// <summary>The generator for row <paramref name="row"/>; call with increasing rows and draw a fixed count per row.</summary>
    public ref SeededRandom ForRow(long row)
    {
        long block = row / BlockRows;
        if (block != _block)
        {
            _block = block;
            _random = new SeededRandom(SeededRandom.Derive(_seed, block));
        }

        return ref _random;
    }
}
