using System.Runtime.CompilerServices;
using System.Text;

namespace Pipelines.Stages.Ingest;

/// <summary>
/// A streaming RFC 4180 reader: quoted fields with doubled quotes, delimiters and line breaks inside quotes,
/// CRLF or LF. One record at a time into reusable buffers; fields are spans, so numbers parse without
/// allocating. Tracks the line each record starts on, for error messages.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly bool _trim;
    private readonly char[] _buffer = new char[1 << 16];
    private int _position;
    private int _length;
    private char[] _record = new char[1024];
    private int _recordLength;
    private int[] _starts = new int[64];
    private int[] _ends = new int[64];
    private bool[] _quoted = new bool[64];
    private long _line = 1;

    /// <summary>Reads from <paramref name="reader"/>, whose first line is line <paramref name="firstLine"/> of the file.</summary>
    public CsvRecordReader(TextReader reader, char delimiter = ',', bool trim = false, long firstLine = 1)
    {
        _reader = reader;
        _delimiter = delimiter;
        _trim = trim;
        _line = firstLine;
    }

    /// <summary>Opens a file with the given encoding (UTF-8 default, BOM detected).</summary>
    public static CsvRecordReader Open(string path, char delimiter, bool trim, Encoding? encoding = null) =>
        new(new StreamReader(path, encoding ?? new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16), delimiter, trim);

    /// <summary>Fields in the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>The 1-based line on which the current record starts.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The current record's field <paramref name="index"/> (unquoted, unescaped).</summary>
    public ReadOnlySpan<char> Field(int index) => _record.AsSpan(_starts[index], _ends[index] - _starts[index]);

    /// <summary>Whether field <paramref name="index"/> was quoted (a quoted empty string is not null).</summary>
    public bool IsQuoted(int index) => _quoted[index];

    /// <summary>Reads the next record; false at the end. Blank lines are skipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        while (true)
        {
            if (!ReadRecord()) return false;
            if (FieldCount > 1 || _ends[0] > _starts[0] || _quoted[0]) return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ReadRecord()
    {
        _recordLength = 0;
        FieldCount = 0;
        LineNumber = _line;
        if (!EnsureData()) return false;

        while (true)
        {
            // One field.
            if (FieldCount == _starts.Length) Grow();
            bool quoted = false;
            if (_trim) SkipSpaces();
            int start = _recordLength;
            int end;
            if (EnsureData() && _buffer[_position] == '"')
            {
                quoted = true;
                _position++;
                while (true)
                {
                    if (!EnsureData()) throw new FormatException($"line {LineNumber}: a quoted field is not closed before the end of the file.");
                    char c = _buffer[_position++];
                    if (c == '"')
                    {
                        if (EnsureData() && _buffer[_position] == '"') { _position++; Append('"'); continue; }
                        break;
                    }
                    if (c == '\n') _line++;
                    Append(c);
                }
                end = _recordLength;
                if (_trim) SkipSpaces();
                // Anything between the closing quote and the delimiter is malformed.
                if (EnsureData() && _buffer[_position] != _delimiter && _buffer[_position] != '\n' && _buffer[_position] != '\r')
                    throw new FormatException($"line {LineNumber}: unexpected character '{_buffer[_position]}' after a closing quote in field {FieldCount + 1}.");
            }
            else
            {
                while (EnsureData())
                {
                    var span = _buffer.AsSpan(_position, _length - _position);
                    int stop = span.IndexOfAny(_delimiter, '\n', '\r');
                    if (stop < 0)
                    {
                        AppendSpan(span);
                        _position = _length;
                        continue;
                    }
                    AppendSpan(span[..stop]);
                    _position += stop;
                    break;
                }
                end = _recordLength;
                if (_trim) while (end > start && _record[end - 1] == ' ') end--;
            }
            _starts[FieldCount] = start;
            _ends[FieldCount] = end;
            _quoted[FieldCount] = quoted;
            FieldCount++;

            if (!EnsureData()) return true;
            char next = _buffer[_position++];
            if (next == _delimiter) continue;
            if (next == '\r' && EnsureData() && _buffer[_position] == '\n') _position++;
            _line++;
            return true;
        }
    }

    private void SkipSpaces()
    {
        while (EnsureData() && _buffer[_position] == ' ') _position++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool EnsureData()
    {
        if (_position < _length) return true;
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Append(char c)
    {
        if (_recordLength == _record.Length) Array.Resize(ref _record, _record.Length * 2);
        _record[_recordLength++] = c;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AppendSpan(ReadOnlySpan<char> span)
    {
        if (_recordLength + span.Length > _record.Length) Array.Resize(ref _record, Math.Max(_record.Length * 2, _recordLength + span.Length));
        span.CopyTo(_record.AsSpan(_recordLength));
        _recordLength += span.Length;
    }

    private void Grow()
    {
        Array.Resize(ref _starts, _starts.Length * 2);
        Array.Resize(ref _ends, _ends.Length * 2);
        Array.Resize(ref _quoted, _quoted.Length * 2);
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
