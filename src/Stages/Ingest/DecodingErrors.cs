using System.Text;

namespace Pipelines.Stages.Ingest;

/// <summary>
/// The text encoding of one input, set up as <see cref="EncodingErrorPolicy"/> says: undecodable bytes are replaced
/// with U+FFFD and counted, or stop the stage. A silent replacement is a wrong answer nobody sees.
/// </summary>
internal sealed class DecodingErrors
{
    private readonly CountingFallback? _counting;

    public DecodingErrors(string encodingName, EncodingErrorPolicy policy)
    {
        if (policy == EncodingErrorPolicy.Fail)
        {
            Encoding = Encoding.GetEncoding(encodingName, EncoderFallback.ReplacementFallback, DecoderFallback.ExceptionFallback);
        }
        else
        {
            _counting = new CountingFallback();
            Encoding = Encoding.GetEncoding(encodingName, EncoderFallback.ReplacementFallback, _counting);
        }
    }

    /// <summary>The encoding to read with (thread-safe: several chunk readers share it).</summary>
    public Encoding Encoding { get; }

    /// <summary>Byte sequences replaced since the last <see cref="Reset"/>.</summary>
    public long Replaced => _counting is null ? 0 : Interlocked.Read(ref _counting.Count);

    /// <summary>Starts counting afresh (before the pass whose rows are written).</summary>
    public void Reset()
    {
        if (_counting is not null) Interlocked.Exchange(ref _counting.Count, 0);
    }

    /// <summary>The decoding failure inside <paramref name="exception"/> (parsers wrap it), if any.</summary>
    public static DecoderFallbackException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DecoderFallbackException decoding) return decoding;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(Find).FirstOrDefault(f => f is not null) is { } inner) return inner;
        }
        return null;
    }

    /// <summary>
    /// The 1-based line of the first byte sequence that is not valid UTF-8, found by reading the bytes again: a
    /// decoder's error index is relative to its buffer, which no longer says where in the file it was.
    /// </summary>
    public static long FirstInvalidUtf8Line(string path, out string bytes)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 16];
        long line = 1;
        int carried = 0, read;
        while ((read = stream.Read(buffer, carried, buffer.Length - carried)) > 0 || carried > 0)
        {
            int length = carried + read;
            bool last = read == 0;
            var span = buffer.AsSpan(0, length);
            int i = 0;
            while (i < span.Length)
            {
                var status = System.Buffers.OperationStatus.Done;
                if (span[i] < 0x80) { if (span[i] == (byte)'\n') line++; i++; continue; }
                status = System.Text.Rune.DecodeFromUtf8(span[i..], out _, out int consumed);
                if (status == System.Buffers.OperationStatus.NeedMoreData && !last) break;
                if (status != System.Buffers.OperationStatus.Done)
                {
                    bytes = Convert.ToHexString(span.Slice(i, Math.Max(1, Math.Min(consumed, 4))));
                    return line;
                }
                i += consumed;
            }
            if (last) break;
            carried = length - i;
            span[i..].CopyTo(buffer);
        }
        bytes = "";
        return line;
    }

    private sealed class CountingFallback : DecoderFallback
    {
        public long Count;

        public override int MaxCharCount => 1;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

        private sealed class Buffer(CountingFallback owner) : DecoderFallbackBuffer
        {
            private bool _pending;

            public override int Remaining => _pending ? 1 : 0;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                Interlocked.Increment(ref owner.Count);
                _pending = true;
                return true;
            }

            public override char GetNextChar()
            {
                if (!_pending) return '\0';
                _pending = false;
                return '\uFFFD';
            }

            public override bool MovePrevious() => false;

            public override void Reset() => _pending = false;
        }
    }
}
