using System.Runtime.CompilerServices;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Ingest;

/// <summary>
/// Turns CSV records into one typed row group. Stateless between calls, so several threads can share one parser,
/// each with its own reader (a file chunk) and its own string pools.
/// </summary>
internal sealed class CsvBatchParser
{
    private readonly CsvSettings _csv;
    private readonly TableSchema _schema;
    private readonly int[] _fieldOfColumn;
    private readonly int _fieldCount;
    private readonly bool[] _nullable;
    private readonly bool _typesInferred;
    private readonly bool _skipBadRows;
    private readonly int _capacity;

    public CsvBatchParser(CsvSettings csv, string[] names, TableSchema schema, bool typesInferred, BadRowPolicy onBadRows, int capacity)
    {
        Arrays = new ColumnArrayPool(capacity);
        _csv = csv;
        _schema = schema;
        _fieldOfColumn = schema.Columns.Select(c => Array.IndexOf(names, c.Name)).ToArray();
        _fieldCount = names.Length;
        _nullable = schema.Columns.Select(c => c.Nullable).ToArray();
        _typesInferred = typesInferred;
        _skipBadRows = onBadRows == BadRowPolicy.Skip;
        _capacity = capacity;
    }

    /// <summary>Column arrays of row groups already written, for the next ones.</summary>
    public ColumnArrayPool Arrays { get; }

    /// <summary>
    /// Reads records until the row group holds <c>capacity</c> rows or the reader ends. A malformed row is skipped
    /// and counted or ends the group with its error, as the bad-row policy says; a cell that does not fit an
    /// inferred type ends it with <see cref="ParsedRowGroup.TypesTooNarrow"/>.
    /// </summary>
    public ParsedRowGroup Parse(CsvRecordReader reader, CancellationToken cancellationToken)
    {
        var builder = new BatchBuilder(_schema, _capacity, Arrays);
        var pools = _schema.Columns.Select(c => c.Type == ColumnType.String ? new StringPool() : null).ToArray();
        long badRows = 0;
        var lines = new List<(int Row, long Line)>(1);
        long expectedLine = -1;
        try
        {
            while (!builder.IsFull && _csv.Read(reader))
            {
                try
                {
                    if (!TryFillRow(reader, builder, pools)) return ParsedRowGroup.TooNarrow;
                    if (reader.LineNumber != expectedLine) lines.Add((builder.Count, reader.LineNumber));
                    expectedLine = reader.LineNumber + 1;
                    builder.CommitRow();
                }
                catch (BadRowException) when (_skipBadRows)
                {
                    builder.DiscardRow();
                    badRows++;
                }
                if ((builder.Count & 0x3FFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (BadRowException ex)
        {
            return new ParsedRowGroup(null, badRows, ex, TypesTooNarrow: false);
        }
        return new ParsedRowGroup(builder.Count > 0 ? builder.Take() : null, badRows, null, TypesTooNarrow: false) { Lines = lines };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryFillRow(CsvRecordReader reader, BatchBuilder builder, StringPool?[] pools)
    {
        if (reader.FieldCount != _fieldCount)
            throw new BadRowException($"{_csv.Name}:{reader.LineNumber}: expected {_fieldCount} fields but found {reader.FieldCount}.");
        for (int c = 0; c < _fieldOfColumn.Length; c++)
        {
            int field = _fieldOfColumn[c];
            var cell = reader.Field(field);
            if (!reader.IsQuoted(field) && _csv.IsNa(cell))
            {
                // Cells start out null, so a null marker needs no write, only the schema's permission.
                if (_nullable[c]) continue;
                throw new BadRowException($"{_csv.Name}:{reader.LineNumber}: column '{_schema.Columns[c].Name}' is empty but the schema forbids nulls.");
            }
            if (pools[c] is { } pool) { ((string?[])builder.Column(c))[builder.Count] = pool.Get(cell); continue; }
            if (CellValues.TrySet(builder.Column(c), builder.Count, _schema.Columns[c].Type, cell)) continue;
            if (_typesInferred) return false;
            throw new BadRowException($"{_csv.Name}:{reader.LineNumber}: column '{_schema.Columns[c].Name}': '{CellValues.Clip(cell)}' is not {CellValues.Describe(_schema.Columns[c].Type)}.");
        }
        return true;
    }
}

/// <summary>
/// What parsing one run of records gave: the rows (null when none), how many bad rows were skipped, and either the
/// error that stopped it (bad-row policy <c>fail</c>) or that an inferred column type was too narrow.
/// </summary>
internal sealed record ParsedRowGroup(TableBatch? Batch, long BadRows, BadRowException? Error, bool TypesTooNarrow)
{
    /// <summary>Whether nothing follows this group: it failed, or the types must be widened and the file read again.</summary>
    public bool EndsIngest => Error is not null || TypesTooNarrow;

    /// <summary>Where rows began in the file: (row in this group, line) wherever a row does not follow on the line after the last.</summary>
    public IReadOnlyList<(int Row, long Line)> Lines { get; init; } = [];

    /// <summary>Whether the reader had no records left.</summary>
    public bool IsEmpty => Batch is null && BadRows == 0 && !EndsIngest;

    public static readonly ParsedRowGroup TooNarrow = new(null, 0, null, TypesTooNarrow: true);
}
