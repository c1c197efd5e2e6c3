using System.Runtime.CompilerServices;
using System.Text;

namespace Pipelines.Stages.Ingest;

/// <summary>How to open and read one CSV file; one place for delimiter, encoding and null markers.</summary>
internal sealed class CsvSettings
{
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _na;
    private readonly int _longestNa;

    public CsvSettings(IngestOptions options, string path)
    {
        Path = path;
        Delimiter = options.Delimiter == "\\t" ? '\t' : options.Delimiter[0];
        Trim = options.Trim;
        Decoding = new DecodingErrors(options.Encoding, options.EncodingErrors);
        _na = options.NaValues.ToHashSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _longestNa = options.NaValues.Count == 0 ? -1 : options.NaValues.Max(v => v.Length);
        Name = System.IO.Path.GetFileName(path);
    }

    public string Path { get; }

    /// <summary>The file name, as error messages show it.</summary>
    public string Name { get; }

    public char Delimiter { get; }

    public bool Trim { get; }

    /// <summary>The encoding, with its policy for undecodable bytes and their count.</summary>
    public DecodingErrors Decoding { get; }

    public Encoding Encoding => Decoding.Encoding;

    public CsvRecordReader Open() => CsvRecordReader.Open(Path, Delimiter, Trim, Encoding);

    /// <summary>A reader over one chunk of the file, numbering lines from where the chunk starts.</summary>
    public CsvRecordReader Open(CsvChunk chunk) =>
        new(new StreamReader(new MemoryStream(chunk.Bytes, 0, chunk.Length, writable: false), Encoding, detectEncodingFromByteOrderMarks: false),
            Delimiter, Trim, chunk.FirstLine);

    /// <summary>Reads the next record; a malformed one (an unclosed quote) becomes a bad row naming this file.</summary>
    public bool Read(CsvRecordReader reader)
    {
        try { return reader.Read(); }
        catch (FormatException ex)
        {
            // The reader says "line 7: ..."; messages name places as file:line.
            string message = ex.Message.StartsWith("line ", StringComparison.Ordinal) ? ex.Message["line ".Length..] : " " + ex.Message;
            throw new BadRowException($"{Name}:{message}");
        }
    }

    /// <summary>Whether the cell is one of the null markers (thread-safe: lookups only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsNa(ReadOnlySpan<char> cell) => cell.Length <= _longestNa && _na.Contains(cell);
}
