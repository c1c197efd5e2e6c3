using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.Core.Reporting;
using Pipelines.Core.Schemas;

namespace Pipelines.Stages.Validate;

/// <summary>
/// The parts of validate's report beyond the counts: violations grouped by column, rule and value, and the
/// column profile shown when every rule holds.
/// </summary>
/// <remarks>
/// Rows are shown 1-based (1 = the table's first data row). Validate reads a table, not the file it came from, and
/// ingest keeps no row → line map (skipped bad rows, blank lines and quoted newlines all break "row + 2"), so the
/// report says "row", not "line".
/// </remarks>
internal static class ValidateReport
{
    public static void AddGroups(HtmlReport report, ViolationGrouper grouper)
    {
        var groups = grouper.Groups();
        report.Heading($"Violations by column, rule and value ({groups.Count} group{(groups.Count == 1 ? "" : "s")}" +
                       (groups.Count > ValidateConstants.GroupsShown ? $", the largest {ValidateConstants.GroupsShown} shown" : "") + ")");
        report.Table(["column", "rule", "value", "count", "first rows (1 = first data row)"],
            groups.Take(ValidateConstants.GroupsShown).Select(g => (IReadOnlyList<object?>)[g.Column, g.Rule, g.Value, g.Count, FirstRows(g)]));
        if (grouper.Ungrouped > 0)
            report.Paragraph($"{grouper.Ungrouped} more violation(s) fell into groups beyond the first {ViolationGrouper.MaxGroups}; the 'violations' table has the first {SchemaChecker.MaxRecorded} of all.", "warn");
        else report.Paragraph($"Every violation, one per row, is in the 'violations' table (its 'row' is 0-based; the first {SchemaChecker.MaxRecorded} are kept).");
    }

    public static JsonObject GroupsJson(ViolationGrouper grouper) => new()
    {
        ["rows_are"] = "1-based data rows of the table (validate does not see the source file, so these are not file lines); table-level rules have none",
        ["ungrouped"] = grouper.Ungrouped,
        ["list"] = new JsonArray(grouper.Groups().Select(g => (JsonNode?)new JsonObject
        {
            ["column"] = g.Column, ["rule"] = g.Rule, ["value"] = g.Value, ["count"] = g.Count,
            ["first_rows"] = new JsonArray(g.FirstRows.Where(r => r >= 0).Select(r => (JsonNode?)(r + 1)).ToArray()),
        }).ToArray()),
    };

    public static void AddProfile(HtmlReport report, IReadOnlyList<ColumnProfile> profiles)
    {
        report.Heading("Column profile");
        report.Table(["column", "type", "nulls", "distinct", "min", "max", "most common values"],
            profiles.Select(p => (IReadOnlyList<object?>)[p.Column, p.Type, p.Nulls, Distinct(p), Show(p.Min), Show(p.Max),
                string.Join(", ", p.MostCommon.Select(m => $"{m.Value} ({m.Count.ToString(CultureInfo.InvariantCulture)})"))]));
    }

    public static JsonArray ProfileJson(IReadOnlyList<ColumnProfile> profiles) => new(profiles.Select(p => (JsonNode?)new JsonObject
    {
        ["column"] = p.Column, ["type"] = p.Type, ["nulls"] = p.Nulls, ["distinct"] = p.Distinct, ["distinct_is_lower_bound"] = p.DistinctCapped,
        ["min"] = Json(p.Min), ["max"] = Json(p.Max),
        ["most_common"] = new JsonArray(p.MostCommon.Select(m => (JsonNode?)new JsonObject { ["value"] = m.Value, ["count"] = m.Count }).ToArray()),
    }).ToArray());

    // Table-level rules (row count, a missing column) have no row.
    private static string FirstRows(ViolationGroup group) =>
        string.Join(", ", group.FirstRows.Where(r => r >= 0).Select(r => (r + 1).ToString(CultureInfo.InvariantCulture))) +
        (group.Count > group.FirstRows.Count && group.FirstRows.All(r => r >= 0) ? ", …" : "");

    private static string Distinct(ColumnProfile p) => (p.DistinctCapped ? "more than " : "") + p.Distinct.ToString(CultureInfo.InvariantCulture);

    private static string Show(object? value) => value switch
    {
        null => "",
        double d => HtmlReport.Format(d),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static JsonNode? Json(object? value) => value switch
    {
        long l => l,
        double d when double.IsFinite(d) => d,
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        _ => null,
    };
}
