namespace Pipelines.Synthetic.Text.Internal;

/// <summary>Picks the next token from one row of logits: greedy, or temperature + top-k + top-p sampling.</summary>
internal sealed class TokenSampler
{
    private readonly double _temperature;
    private readonly int _topK;
    private readonly double _topP;
    private readonly int[] _order;
    private readonly double[] _weights;

    public TokenSampler(TextGenerationOptions options, int vocabularySize)
    {
        _temperature = options.Temperature;
        _topK = options.TopK;
        _topP = options.TopP;
        _order = new int[vocabularySize];
        _weights = new double[vocabularySize];
    }

    public int Next(ReadOnlySpan<float> logits, ref SplitMix64 rng)
    {
        if (_temperature == 0)
        {
            return ArgMax(logits);
        }

        int n = logits.Length;
        var order = _order.AsSpan(0, n);
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        bool filter = (_topK > 0 && _topK < n) || _topP < 1;
        if (filter)
        {
            // Most likely first; ties by lower id so the order never depends on the sort's stability.
            var copy = logits.ToArray();
            order.Sort((a, b) => copy[a] != copy[b] ? copy[b].CompareTo(copy[a]) : a.CompareTo(b));
        }

        int kept = _topK > 0 ? Math.Min(_topK, n) : n;
        float max = float.NegativeInfinity;
        for (int i = 0; i < kept; i++)
        {
            max = Math.Max(max, logits[order[i]]);
        }

        double sum = 0;
        for (int i = 0; i < kept; i++)
        {
            double w = Math.Exp((logits[order[i]] - max) / _temperature);
            _weights[i] = w;
            sum += w;
        }

        if (_topP < 1)
        {
            double cumulative = 0;
            int nucleus = kept;
            for (int i = 0; i < kept; i++)
            {
                cumulative += _weights[i] / sum;
                if (cumulative >= _topP)
                {
                    nucleus = i + 1;
                    break;
                }
            }

            kept = nucleus;
            sum = 0;
            for (int i = 0; i < kept; i++)
            {
                sum += _weights[i];
            }
        }

        double u = rng.NextDouble() * sum;
        for (int i = 0; i < kept; i++)
        {
            u -= _weights[i];
            if (u < 0)
            {
                return order[i];
            }
        }

        return order[kept - 1];
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}
