using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using FluentValidation;
using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Split;

/// <summary>
/// <c>split</c>: deterministic train/validation/test split. Each row is ranked by a seeded hash of its key
/// columns, so the split depends on row contents, not row order; within each stratum the lowest-ranked rows go
/// to train, then validation, then test, giving exact proportions per group.
/// </summary>
public sealed class SplitStage : Stage<SplitOptions>
{
    /// <inheritdoc />
    public override string Kind => "split";

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } = [new("table", ArtifactKind.Table)];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } =
        [new("train", ArtifactKind.Table), new("validation", ArtifactKind.Table), new("test", ArtifactKind.Table)];

    // Built on first use: its rules compile expressions, and a run validates only the kinds its pipeline uses.
    private IValidator<SplitOptions>? _validator;

    /// <inheritdoc />
    protected override IValidator<SplitOptions> Validator => _validator ??= new SplitOptionsValidator();

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, SplitOptions options, CancellationToken cancellationToken)
    {
        var table = await ParquetTableReader.ReadFileAsync(context.InputPath("table"), cancellationToken);
        if (table.RowCount == 0) throw new UserInputException($"stage '{context.StageId}': the input table is empty; there is nothing to split.");
        var assignment = Assign(table, options, context.Seed);
        long[] counts = new long[3];
        string[] names = ["train", "validation", "test"];
        for (int part = 0; part < 3; part++)
        {
            var rows = Enumerable.Range(0, table.RowCount).Where(r => assignment[r] == part).ToArray();
            counts[part] = rows.Length;
            await ParquetTableWriter.WriteFileAsync(context.OutputPath(names[part]), table.Select(rows), cancellationToken: cancellationToken);
        }
        context.Summary["rows_in"] = table.RowCount;
        context.Summary["train"] = counts[0];
        context.Summary["validation"] = counts[1];
        context.Summary["test"] = counts[2];
        context.Logger.LogSplit(table.RowCount, counts[0], counts[1], counts[2]);
    }

    /// <summary>The part (0 train, 1 validation, 2 test) of every row.</summary>
    public static byte[] Assign(TableBatch table, SplitOptions options, long seed)
    {
        var keyColumns = (options.Key ?? table.Schema.Columns.Select(c => c.Name).ToList()).Select(k => table.Schema.IndexOf(table.Schema.Get(k).Name)).ToArray();
        var ranks = new ulong[table.RowCount];
        var buffer = new ArrayBufferWriter(256);
        for (int r = 0; r < table.RowCount; r++)
        {
            buffer.Clear();
            buffer.WriteInt64(seed);
            foreach (int c in keyColumns) buffer.WriteValue(table.Column(c).GetValue(r));
            ranks[r] = XxHash64.HashToUInt64(buffer.Written);
        }

        var strata = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var stratum = options.StratifyBy is null ? null : table.Column(table.Schema.IndexOf(table.Schema.Get(options.StratifyBy).Name));
        for (int r = 0; r < table.RowCount; r++)
        {
            string key = stratum is null ? "" : Convert.ToString(stratum.GetValue(r), CultureInfo.InvariantCulture) ?? "\0null";
            if (!strata.TryGetValue(key, out var list)) strata[key] = list = [];
            list.Add(r);
        }

        var assignment = new byte[table.RowCount];
        foreach (var rows in strata.Values)
        {
            // Rank by hash; identical keys tie and are interchangeable, so the row index breaks ties only among equals.
            rows.Sort((a, b) => ranks[a] != ranks[b] ? ranks[a].CompareTo(ranks[b]) : a.CompareTo(b));
            int n = rows.Count;
            int train = (int)Math.Round(n * options.Train, MidpointRounding.ToEven);
            int validation = Math.Min(n - train, (int)Math.Round(n * options.Validation, MidpointRounding.ToEven));
            for (int i = 0; i < n; i++) assignment[rows[i]] = (byte)(i < train ? 0 : i < train + validation ? 1 : 2);
        }
        return assignment;
    }

    /// <summary>A growable byte buffer for hashing typed values without allocating per value.</summary>
    private sealed class ArrayBufferWriter(int capacity)
    {
        private byte[] _bytes = new byte[capacity];
        private int _length;

        public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

        public void Clear() => _length = 0;

        public void WriteInt64(long value)
        {
            Ensure(8);
            BinaryPrimitives.WriteInt64LittleEndian(_bytes.AsSpan(_length), value);
            _length += 8;
        }

        public void WriteValue(object? value)
        {
            switch (value)
            {
                case null: Ensure(1); _bytes[_length++] = 0; break;
                case long l: Ensure(1); _bytes[_length++] = 1; WriteInt64(l); break;
                case double d: Ensure(1); _bytes[_length++] = 2; WriteInt64(BitConverter.DoubleToInt64Bits(d)); break;
                case bool b: Ensure(2); _bytes[_length++] = 3; _bytes[_length++] = b ? (byte)1 : (byte)0; break;
                case DateTime t: Ensure(1); _bytes[_length++] = 4; WriteInt64(t.Ticks); break;
                case string s:
                    int max = Encoding.UTF8.GetMaxByteCount(s.Length);
                    Ensure(max + 5);
                    _bytes[_length++] = 5;
                    int written = Encoding.UTF8.GetBytes(s, _bytes.AsSpan(_length + 4));
                    BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(_length), written);
                    _length += 4 + written;
                    break;
            }
        }

        private void Ensure(int more)
        {
            if (_length + more > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + more));
        }
    }
}
