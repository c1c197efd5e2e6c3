using System.Globalization;
using System.Text;

namespace Pipelines.Core.Tables;

/// <summary>
/// Which line of its source file each row of a table began on, kept by <c>ingest</c> in the Parquet file's key-value
/// metadata so a later check can name file lines. Stored as breakpoints: row <c>r</c> began on line
/// <c>line + (r - row)</c> of the last breakpoint at or before it; blank lines, skipped bad rows and quoted line
/// breaks add one each.
/// </summary>
public sealed class SourceLines
{
    /// <summary>The Parquet key-value metadata key.</summary>
    public const string MetadataKey = "pipelines.source_lines";

    /// <summary>Breakpoints kept at most; a file with more (a line break inside nearly every record) keeps no map.</summary>
    public const int MaxBreakpoints = 100_000;

    private readonly List<(long Row, long Line)> _breakpoints = [];

    /// <summary>Starts an empty map of rows read from <paramref name="file"/> (a file name, as messages show it).</summary>
    public SourceLines(string file) => File = file;

    /// <summary>The source file's name.</summary>
    public string File { get; }

    /// <summary>False once the map outgrew <see cref="MaxBreakpoints"/>: it is then not stored.</summary>
    public bool IsComplete { get; private set; } = true;

    /// <summary>Records that <paramref name="row"/> began on <paramref name="line"/>; rows must come in order.</summary>
    public void Add(long row, long line)
    {
        if (!IsComplete) return;
        if (_breakpoints.Count > 0 && _breakpoints[^1].Line + (row - _breakpoints[^1].Row) == line) return;
        if (_breakpoints.Count == MaxBreakpoints)
        {
            IsComplete = false;
            _breakpoints.Clear();
            return;
        }
        _breakpoints.Add((row, line));
    }

    /// <summary>The line row <paramref name="row"/> (0-based) began on, or null for a row before the first recorded.</summary>
    public long? LineOf(long row)
    {
        int low = 0, high = _breakpoints.Count - 1, found = -1;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            if (_breakpoints[mid].Row <= row) { found = mid; low = mid + 1; }
            else high = mid - 1;
        }
        return found < 0 ? null : _breakpoints[found].Line + (row - _breakpoints[found].Row);
    }

    /// <summary>The metadata value: <c>file</c>, a tab, then <c>row:line</c> breakpoints separated by commas.</summary>
    public string Encode()
    {
        var text = new StringBuilder(File.Replace('\t', ' ')).Append('\t');
        for (int i = 0; i < _breakpoints.Count; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(CultureInfo.InvariantCulture, $"{_breakpoints[i].Row}:{_breakpoints[i].Line}");
        }
        return text.ToString();
    }

    /// <summary>The map a table's metadata holds, or null when it holds none (or one this version cannot read).</summary>
    public static SourceLines? From(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(MetadataKey, out var value)) return null;
        int tab = value.IndexOf('\t', StringComparison.Ordinal);
        if (tab < 0) return null;
        var lines = new SourceLines(value[..tab]);
        foreach (var pair in value[(tab + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out long row) || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out long line)) return null;
            lines.Add(row, line);
        }
        return lines;
    }
}
