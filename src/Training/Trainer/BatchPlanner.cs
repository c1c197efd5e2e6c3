namespace Pipelines.Training;

/// <summary>
/// Groups examples into micro-batches under a token budget: shuffle (seeded), sort by length inside windows so that
/// rows of similar length share a batch (less padding), cut batches, shuffle the batch order.
/// </summary>
internal static class BatchPlanner
{
    private const int WindowBatches = 16;

    public static List<int[]> Plan(IReadOnlyList<TrainingExample> examples, int tokensPerBatch, int maxBatchSize, long seed, bool shuffle)
    {
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        if (shuffle)
        {
            random.Shuffle(order);
        }

        var window = Math.Max(1, WindowBatches * maxBatchSize);
        for (var start = 0; start < order.Length; start += window)
        {
            var length = Math.Min(window, order.Length - start);
            var slice = order.AsSpan(start, length).ToArray();
            var sorted = slice.OrderBy(i => examples[i].InputIds.Length).ThenBy(i => i).ToArray();
            sorted.CopyTo(order, start);
        }

        var batches = new List<int[]>();
        var current = new List<int>();
        var longest = 0;
        foreach (var index in order)
        {
            var length = examples[index].InputIds.Length;
            var newLongest = Math.Max(longest, length);
            if (current.Count > 0 && (current.Count >= maxBatchSize || (current.Count + 1) * newLongest > tokensPerBatch))
            {
                batches.Add(current.ToArray());
                current.Clear();
                newLongest = length;
            }

            current.Add(index);
            longest = newLongest;
        }

        if (current.Count > 0)
        {
            batches.Add(current.ToArray());
        }

        if (shuffle)
        {
            var array = batches.ToArray();
            random.Shuffle(array);
            return array.ToList();
        }

        return batches;
    }
}
