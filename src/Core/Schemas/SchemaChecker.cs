using System.Globalization;
using System.Text.RegularExpressions;
using Pipelines.Core.Tables;

namespace Pipelines.Core.Schemas;

/// <summary>
/// Checks a table against a <see cref="DataSchema"/> batch by batch (memory: the uniqueness sets only).
/// Keeps the first <see cref="MaxRecorded"/> violations and counts all of them per rule.
/// </summary>
public sealed class SchemaChecker
{
    /// <summary>How many violations are kept in full.</summary>
    public const int MaxRecorded = 10_000;

    private readonly DataSchema _schema;
    private readonly List<(DataSchemaColumn Rule, int Index, Regex? Pattern, HashSet<string>? Allowed, HashSet<object>? Seen)> _checks = [];
    private readonly List<SchemaViolation> _violations = [];
    private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ViolationGrouper _grouper = new();

    /// <summary>Starts checking a table of <paramref name="actual"/> columns; column-level problems are recorded at once.</summary>
    public SchemaChecker(DataSchema schema, TableSchema actual)
    {
        _schema = schema;
        foreach (var column in schema.Columns)
        {
            int index = actual.IndexOf(column.Name);
            if (index < 0)
            {
                Add(-1, column.Name, "missing", null, $"column '{column.Name}' is missing.");
                continue;
            }
            var actualType = actual.Columns[index].Type;
            if (actualType != column.Type && !(column.Type == ColumnType.Double && actualType == ColumnType.Int64))
            {
                Add(-1, column.Name, "type", ColumnSchema.TypeName(actualType), $"column '{column.Name}' is {ColumnSchema.TypeName(actualType)}, expected {ColumnSchema.TypeName(column.Type)}.");
                continue;
            }
            _checks.Add((column, index,
                column.Pattern is null ? null : new Regex("^(?:" + column.Pattern + ")$", RegexOptions.CultureInvariant),
                column.Allowed is null ? null : new HashSet<string>(column.Allowed, StringComparer.Ordinal),
                column.Unique ? [] : null));
        }
        if (!schema.AllowExtraColumns)
            foreach (var extra in actual.Columns.Where(c => schema.Columns.All(s => s.Name != c.Name)))
                Add(-1, extra.Name, "extra", null, $"column '{extra.Name}' is not in the schema.");
    }

    /// <summary>The violations kept (the first <see cref="MaxRecorded"/>).</summary>
    public IReadOnlyList<SchemaViolation> Violations => _violations;

    /// <summary>Violations counted per rule (all of them).</summary>
    public IReadOnlyDictionary<string, long> CountsByRule => _counts;

    /// <summary>Every violation grouped by column, rule and value.</summary>
    public ViolationGrouper Grouped => _grouper;

    /// <summary>Total violations.</summary>
    public long Total => _counts.Values.Sum();

    /// <summary>Checks one batch whose first row is row <paramref name="rowOffset"/> of the table.</summary>
    public void Check(TableBatch batch, long rowOffset)
    {
        foreach (var (rule, index, pattern, allowed, seen) in _checks)
        {
            var values = batch.Column(index);
            for (int r = 0; r < batch.RowCount; r++)
            {
                object? value = values.GetValue(r);
                long row = rowOffset + r;
                if (value is null)
                {
                    if (!rule.Nullable) Add(row, rule.Name, "nullable", null, $"row {row}: '{rule.Name}' is null but the schema forbids nulls.");
                    continue;
                }
                if (value is long or double)
                {
                    double number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (rule.Min is { } min && number < min) Add(row, rule.Name, "min", Show(value), $"row {row}: '{rule.Name}' is {Show(value)}, below the minimum {Show(min)}.");
                    if (rule.Max is { } max && number > max) Add(row, rule.Name, "max", Show(value), $"row {row}: '{rule.Name}' is {Show(value)}, above the maximum {Show(max)}.");
                }
                if (value is string text)
                {
                    if (allowed is not null && !allowed.Contains(text)) Add(row, rule.Name, "allowed", text, $"row {row}: '{rule.Name}' is '{text}', not one of the allowed values.");
                    if (pattern is not null && !pattern.IsMatch(text)) Add(row, rule.Name, "pattern", text, $"row {row}: '{rule.Name}' = '{text}' does not match /{rule.Pattern}/.");
                    if (rule.MaxLength is { } maxLength && text.Length > maxLength) Add(row, rule.Name, "max_length", text, $"row {row}: '{rule.Name}' has {text.Length} characters, more than {maxLength}.");
                }
                if (seen is not null && !seen.Add(value)) Add(row, rule.Name, "unique", Show(value), $"row {row}: '{rule.Name}' = {Show(value)} appears more than once.");
            }
        }
    }

    /// <summary>Checks the row-count bounds once all rows were seen.</summary>
    public void Finish(long rowCount)
    {
        if (_schema.MinRows is { } min && rowCount < min) Add(-1, "", "min_rows", rowCount.ToString(CultureInfo.InvariantCulture), $"the table has {rowCount} rows, fewer than the minimum {min}.");
        if (_schema.MaxRows is { } max && rowCount > max) Add(-1, "", "max_rows", rowCount.ToString(CultureInfo.InvariantCulture), $"the table has {rowCount} rows, more than the maximum {max}.");
    }

    private void Add(long row, string column, string rule, string? value, string message)
    {
        _counts[rule] = _counts.GetValueOrDefault(rule) + 1;
        _grouper.Add(row, column, rule, value);
        if (_violations.Count < MaxRecorded) _violations.Add(new SchemaViolation(row, column, rule, value, message));
    }

    private static string Show(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
