using System.Globalization;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// The trials of a study as a table, one row per trial (Optuna's <c>trials_dataframe</c>): <c>number</c>,
/// <c>state</c>, <c>value</c>, <c>datetime_start</c>, <c>datetime_complete</c>, <c>duration_seconds</c>,
/// <c>params_NAME</c> (double for floats, long for ints, text for categorical choices),
/// <c>user_attrs_KEY</c> (JSON text), <c>intermediate_values</c> (JSON object step → value) and
/// <c>fail_reason</c>. Written as CSV or Parquet.
/// </summary>
public sealed class TrialsTable
{
    private TrialsTable(int rowCount, IReadOnlyList<TrialsTableColumn> columns)
    {
        RowCount = rowCount;
        Columns = columns;
    }

    /// <summary>Number of rows (trials).</summary>
    public int RowCount { get; }

    /// <summary>The columns in output order.</summary>
    public IReadOnlyList<TrialsTableColumn> Columns { get; }

    /// <summary>Builds the table for all trials of <paramref name="study"/>.</summary>
    public static TrialsTable From(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return From(study.Trials);
    }

    /// <summary>Builds the table for the given trials (in number order).</summary>
    public static TrialsTable From(IEnumerable<FrozenTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var rows = trials.OrderBy(t => t.Number).ToList();
        int n = rows.Count;
        var columns = new List<TrialsTableColumn>
        {
            new("number", TrialsColumnType.Int64, rows.Select(t => (long?)t.Number).ToArray()),
            new("state", TrialsColumnType.String, rows.Select(t => (string?)StateName(t.State)).ToArray()),
            new("value", TrialsColumnType.Double, rows.Select(t => t.Value).ToArray()),
            new("datetime_start", TrialsColumnType.Timestamp, rows.Select(t => t.DatetimeStart).ToArray()),
            new("datetime_complete", TrialsColumnType.Timestamp, rows.Select(t => t.DatetimeComplete).ToArray()),
            new("duration_seconds", TrialsColumnType.Double, rows.Select(t => t.Duration?.TotalSeconds).ToArray()),
        };

        var paramNames = rows.SelectMany(t => t.Distributions.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal);
        foreach (string name in paramNames)
        {
            var kinds = rows.Where(t => t.Distributions.ContainsKey(name)).Select(t => t.Distributions[name]).ToList();
            if (kinds.All(d => d is FloatDistribution))
            {
                columns.Add(new("params_" + name, TrialsColumnType.Double, rows.Select(t => t.Params.TryGetValue(name, out var v) ? (double?)(double)v! : null).ToArray()));
            }
            else if (kinds.All(d => d is IntDistribution))
            {
                columns.Add(new("params_" + name, TrialsColumnType.Int64, rows.Select(t => t.Params.TryGetValue(name, out var v) ? (long?)(long)v! : null).ToArray()));
            }
            else
            {
                columns.Add(new("params_" + name, TrialsColumnType.String, rows.Select(t => t.Params.TryGetValue(name, out var v) ? ChoiceText(v) : null).ToArray()));
            }
        }

        foreach (string key in rows.SelectMany(t => t.UserAttrs.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal))
        {
            columns.Add(new("user_attrs_" + key, TrialsColumnType.String, rows.Select(t => t.UserAttrs.TryGetValue(key, out var e) ? e.GetRawText() : null).ToArray()));
        }

        columns.Add(new("intermediate_values", TrialsColumnType.String, rows.Select(t => t.IntermediateValues.Count == 0 ? null : IntermediateJson(t)).ToArray()));
        columns.Add(new("fail_reason", TrialsColumnType.String, rows.Select(t => t.FailReason).ToArray()));
        return new TrialsTable(n, columns);
    }

    /// <summary>Lower-case state name used in exports and reports.</summary>
    public static string StateName(TrialState state) => state switch
    {
        TrialState.Running => "running",
        TrialState.Complete => "complete",
        TrialState.Pruned => "pruned",
        TrialState.Fail => "fail",
        _ => "waiting",
    };

    private static string? ChoiceText(object? v) => v switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        _ => Invariant.Format(v),
    };

    private static string IntermediateJson(FrozenTrial t)
    {
        var sb = new StringBuilder("{");
        bool first = true;
        foreach (var (step, value) in t.IntermediateValues)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            sb.Append('"').Append(step.ToString(CultureInfo.InvariantCulture)).Append("\":");
            sb.Append(double.IsFinite(value) ? Invariant.Format(value) : JsonSerializer.Serialize(Invariant.Format(value)));
        }

        return sb.Append('}').ToString();
    }

    /// <summary>Writes the table as RFC 4180 CSV (invariant culture, ISO 8601 times, empty cells for nulls).</summary>
    public void WriteCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.NewLine = "\n";
        writer.WriteLine(string.Join(',', Columns.Select(c => Quote(c.Name))));
        for (int r = 0; r < RowCount; r++)
        {
            var cells = Columns.Select(c => Quote(Cell(c, r)));
            writer.WriteLine(string.Join(',', cells));
        }
    }

    private static string Cell(TrialsTableColumn c, int r) => c.Values switch
    {
        long?[] l => l[r] is long v ? Invariant.Format(v) : string.Empty,
        double?[] d => d[r] is double v ? Invariant.Format(v) : string.Empty,
        string?[] s => s[r] ?? string.Empty,
        DateTime?[] t => t[r] is DateTime v ? v.ToString("O", CultureInfo.InvariantCulture) : string.Empty,
        _ => string.Empty,
    };

    private static string Quote(string s)
        => s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    /// <summary>Writes the table as one Parquet file (one row group, Snappy).</summary>
    public async Task WriteParquetAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fields = Columns.Select(c => c.Type switch
        {
            TrialsColumnType.Int64 => (DataField)new DataField<long?>(c.Name),
            TrialsColumnType.Double => new DataField<double?>(c.Name),
            TrialsColumnType.Timestamp => new DataField<DateTime?>(c.Name),
            _ => new DataField<string>(c.Name, true),
        }).ToArray();
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            for (int i = 0; i < fields.Length; i++)
            {
                switch (Columns[i].Values)
                {
                    case long?[] l:
                        await group.WriteAsync<long>(fields[i], l.AsMemory(), null, null, cancellationToken).ConfigureAwait(false);
                        break;
                    case double?[] d:
                        await group.WriteAsync<double>(fields[i], d.AsMemory(), null, null, cancellationToken).ConfigureAwait(false);
                        break;
                    case DateTime?[] t:
                        await group.WriteAsync<DateTime>(fields[i], t.AsMemory(), null, null, cancellationToken).ConfigureAwait(false);
                        break;
                    case string?[] s:
                        await group.WriteAsync(fields[i], s, null).ConfigureAwait(false);
                        break;
                }
            }
        }

        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
