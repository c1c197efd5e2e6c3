using System.Runtime.CompilerServices;
using System.Buffers;

namespace Pipelines.Stages.Ingest;

/// <summary>
/// Cuts a CSV byte stream into chunks of whole records, so that several threads can parse one file. A scan for
/// quotes and line breaks (vectorised <c>IndexOfAny</c>) is all it does; the record rules match
/// <see cref="CsvRecordReader"/>: a quote opens a quoted field only at the start of a field, a doubled quote inside
/// one is a literal quote, and records end at LF, CRLF or a lone CR outside quotes.
/// Only valid for encodings in which those characters are single bytes that never occur inside a multi-byte
/// sequence (UTF-8 and single-byte code pages); see <see cref="Supports"/>.
/// </summary>
internal sealed class CsvChunker : IDisposable
{
    private readonly Stream _stream;
    private readonly byte _delimiter;
    private readonly bool _trim;
    private readonly int _recordsPerChunk;
    private byte[] _buffer;
    private int _chunkStart;
    private int _recordStart;
    private int _scan;
    private int _end;
    private bool _eof;
    private bool _inQuotes;
    private long _line = 1;
    private long _chunkLine = 1;
    private int _records;

    /// <summary>Reads <paramref name="stream"/>, whose UTF-8 byte order mark (if any) is skipped.</summary>
    public CsvChunker(Stream stream, char delimiter, bool trim, int recordsPerChunk, int bufferSize = 1 << 20)
    {
        _stream = stream;
        _delimiter = (byte)delimiter;
        _trim = trim;
        _recordsPerChunk = recordsPerChunk;
        _buffer = new byte[bufferSize];
        Fill();
        if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF) _chunkStart = _recordStart = _scan = 3;
    }

    /// <summary>
    /// Whether chunks can be cut at byte level for this delimiter and encoding, and the file does not start with a
    /// UTF-16 or UTF-32 byte order mark (which would make the reader switch encodings).
    /// </summary>
    public static bool Supports(char delimiter, System.Text.Encoding encoding, string path)
    {
        if (delimiter is '"' or '\n' or '\r' || delimiter > 0x7F) return false;
        if (!(encoding.CodePage == 65001 || encoding.IsSingleByte)) return false;
        Span<byte> head = stackalloc byte[2];
        using var file = File.OpenRead(path);
        int read = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        return read < 2 || !((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
    }

    /// <summary>Skips the first <paramref name="count"/> records (a header), which belong to no chunk.</summary>
    public void SkipRecords(int count)
    {
        for (int i = 0; i < count && ScanRecord(); i++) { }
        _chunkStart = _recordStart = _scan;
        _chunkLine = _line;
        _records = 0;
    }

    /// <summary>
    /// The next chunk: up to the configured number of records (blank lines count), in a buffer rented from
    /// <see cref="ArrayPool{T}.Shared"/> that the caller returns. Null at the end of the stream.
    /// </summary>
    public CsvChunk? Next(int index)
    {
        while (_records < _recordsPerChunk && ScanRecord()) { }
        int length = _scan - _chunkStart;
        if (length == 0) return null;
        var bytes = ArrayPool<byte>.Shared.Rent(length);
        _buffer.AsSpan(_chunkStart, length).CopyTo(bytes);
        var chunk = new CsvChunk(index, bytes, length, _chunkLine);
        _chunkStart = _recordStart = _scan;
        _chunkLine = _line;
        _records = 0;
        return chunk;
    }

    /// <summary>Advances past one record; false when no bytes are left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ScanRecord()
    {
        _recordStart = _scan;
        if (!Available(1)) return false;
        while (true)
        {
            if (_inQuotes)
            {
                var quoted = _buffer.AsSpan(_scan, _end - _scan);
                int quote = quoted.IndexOf((byte)'"');
                if (quote < 0)
                {
                    _line += quoted.Count((byte)'\n');
                    _scan = _end;
                    if (!Available(1)) return EndRecord(); // unclosed quote: the reader reports it
                    continue;
                }
                _line += quoted[..quote].Count((byte)'\n');
                _scan += quote;
                if (!Available(2)) { _scan++; _inQuotes = false; continue; }
                if (_buffer[_scan + 1] == '"') { _scan += 2; continue; }
                _scan++;
                _inQuotes = false;
                continue;
            }

            var plain = _buffer.AsSpan(_scan, _end - _scan);
            int stop = plain.IndexOfAny((byte)'"', (byte)'\n', (byte)'\r');
            if (stop < 0)
            {
                _scan = _end;
                if (!Available(1)) return EndRecord();
                continue;
            }
            _scan += stop;
            switch (_buffer[_scan])
            {
                case (byte)'"':
                    _inQuotes = AtFieldStart(_scan);
                    _scan++;
                    continue;
                case (byte)'\n':
                    _scan++;
                    return EndLine();
                default: // '\r', alone or before '\n'
                    bool crlf = Available(2) && _buffer[_scan + 1] == '\n';
                    _scan += crlf ? 2 : 1;
                    return EndLine();
            }
        }
    }

    private bool EndLine()
    {
        _line++;
        return EndRecord();
    }

    private bool EndRecord()
    {
        _records++;
        return true;
    }

    private bool AtFieldStart(int position)
    {
        int before = position - 1;
        if (_trim) while (before >= _recordStart && _buffer[before] == ' ') before--;
        return before < _recordStart || _buffer[before] == _delimiter;
    }

    /// <summary>Ensures <paramref name="count"/> bytes from the scan position are buffered, if the stream has them.</summary>
    private bool Available(int count)
    {
        while (_end - _scan < count)
        {
            if (_eof) return false;
            Fill();
        }
        return true;
    }

    private void Fill()
    {
        if (_chunkStart > 0)
        {
            // Keep the chunk being cut; drop what was already handed out.
            int keep = _end - _chunkStart;
            Buffer.BlockCopy(_buffer, _chunkStart, _buffer, 0, keep);
            _scan -= _chunkStart;
            _recordStart -= _chunkStart;
            _end = keep;
            _chunkStart = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}

/// <summary>A run of whole CSV records: bytes rented from the shared pool, and the line the first record starts on.</summary>
internal sealed record CsvChunk(int Index, byte[] Bytes, int Length, long FirstLine);
