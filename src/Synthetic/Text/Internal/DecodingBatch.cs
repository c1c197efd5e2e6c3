namespace Pipelines.Synthetic.Text.Internal;

/// <summary>
/// The state of one batch of prompts during decoding: left-padded token rows, attention mask, positions,
/// generated ids, per-row random streams and which rows have finished.
/// </summary>
internal sealed class DecodingBatch
{
    private readonly List<long>[] _tokens;
    private readonly List<long>[] _mask;
    private readonly long[] _nextPosition;
    private readonly List<int>[] _generated;
    private readonly string?[] _stoppedText;
    private readonly bool[] _finished;
    private readonly SplitMix64[] _rngs;
    private readonly int _padId;

    public DecodingBatch(ReadOnlySpan<int[]> prompts, int firstRowIndex, long seed, int padId)
    {
        Rows = prompts.Length;
        _padId = padId;
        int longest = 0;
        foreach (var p in prompts)
        {
            longest = Math.Max(longest, p.Length);
        }

        Length = longest;
        _tokens = new List<long>[Rows];
        _mask = new List<long>[Rows];
        _nextPosition = new long[Rows];
        _generated = new List<int>[Rows];
        _stoppedText = new string?[Rows];
        _finished = new bool[Rows];
        _rngs = new SplitMix64[Rows];
        for (int r = 0; r < Rows; r++)
        {
            int pad = longest - prompts[r].Length;
            _tokens[r] = [.. Enumerable.Repeat((long)padId, pad), .. prompts[r].Select(i => (long)i)];
            _mask[r] = [.. Enumerable.Repeat(0L, pad), .. Enumerable.Repeat(1L, prompts[r].Length)];
            _nextPosition[r] = prompts[r].Length;
            _generated[r] = [];
            _rngs[r] = SplitMix64.ForStream(seed, firstRowIndex + r);
        }
    }

    public int Rows { get; }

    /// <summary>Current sequence length (padding + prompt + generated) of every row.</summary>
    public int Length { get; private set; }

    public bool AllFinished => _finished.All(f => f);

    public bool IsFinished(int row) => _finished[row];

    public ref SplitMix64 Rng(int row) => ref _rngs[row];

    /// <summary>The last <paramref name="count"/> tokens of every row, row-major.</summary>
    public long[] InputIds(int count)
    {
        var ids = new long[Rows * count];
        for (int r = 0; r < Rows; r++)
        {
            _tokens[r].CopyTo(Length - count, ids, r * count, count);
        }

        return ids;
    }

    public long[] AttentionMask()
    {
        var mask = new long[Rows * Length];
        for (int r = 0; r < Rows; r++)
        {
            _mask[r].CopyTo(mask, r * Length);
        }

        return mask;
    }

    /// <summary>Positions of the last <paramref name="count"/> tokens: real tokens count from 0, padding sits at 0.</summary>
    public long[] PositionIds(int count)
    {
        var positions = new long[Rows * count];
        for (int r = 0; r < Rows; r++)
        {
            long position = _nextPosition[r] - 1;
            for (int c = count - 1; c >= 0; c--)
            {
                int t = Length - count + c;
                positions[(r * count) + c] = _mask[r][t] == 1 ? position-- : 0;
            }
        }

        return positions;
    }

    public void Append(int row, int token)
    {
        _tokens[row].Add(token);
        _mask[row].Add(1);
        _nextPosition[row]++;
        if (!_finished[row])
        {
            _generated[row].Add(token);
        }

        if (row == Rows - 1)
        {
            Length++;
        }
    }

    /// <summary>Marks rows that produced end-of-text or a stop string as finished.</summary>
    public void CheckStops(ITextTokenizer tokenizer, IReadOnlyList<string> stopStrings)
    {
        for (int r = 0; r < Rows; r++)
        {
            if (_finished[r])
            {
                continue;
            }

            var generated = _generated[r];
            if (tokenizer.EndOfTextId is int eot && generated[^1] == eot)
            {
                generated.RemoveAt(generated.Count - 1);
                _finished[r] = true;
                continue;
            }

            if (stopStrings.Count == 0)
            {
                continue;
            }

            string text = tokenizer.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(generated));
            int cut = -1;
            foreach (string stop in stopStrings)
            {
                int at = text.IndexOf(stop, StringComparison.Ordinal);
                if (at >= 0 && (cut < 0 || at < cut))
                {
                    cut = at;
                }
            }

            if (cut >= 0)
            {
                _stoppedText[r] = text[..cut];
                _finished[r] = true;
            }
        }
    }

    public string Output(int row, ITextTokenizer tokenizer)
        => _stoppedText[row] ?? tokenizer.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_generated[row]));
}
