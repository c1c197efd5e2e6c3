using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.Core.Reporting;
using Pipelines.Core.Schemas;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Validate;

/// <summary>
/// The parts of validate's report beyond the counts: violations grouped by column, rule and value, and the
/// column profile shown when every rule holds.
/// </summary>
/// <remarks>
/// A table that <c>ingest</c> wrote carries its row → line map (<see cref="SourceLines"/>), so violations are shown at
/// the lines of the source file. A table without one (made by another stage, or by a writer of Parquet) is shown by
/// 1-based data rows, and the report says so.
/// </remarks>
internal static class ValidateReport
{
    public static void AddGroups(HtmlReport report, ViolationGrouper grouper, SourceLines? lines)
    {
        var groups = grouper.Groups();
        report.Heading($"Violations by column, rule and value ({groups.Count} group{(groups.Count == 1 ? "" : "s")}" +
                       (groups.Count > ValidateConstants.GroupsShown ? $", the largest {ValidateConstants.GroupsShown} shown" : "") + ")");
        string where = lines is null ? "first rows (1 = first data row)" : $"first lines of {lines.File}";
        report.Table(["column", "rule", "value", "count", where],
            groups.Take(ValidateConstants.GroupsShown).Select(g => (IReadOnlyList<object?>)[g.Column, g.Rule, g.Value, g.Count, FirstPlaces(g, lines)]));
        if (grouper.Ungrouped > 0)
            report.Paragraph($"{grouper.Ungrouped} more violation(s) fell into groups beyond the first {ViolationGrouper.MaxGroups}; the 'violations' table has the first {SchemaChecker.MaxRecorded} of all.", "warn");
        else report.Paragraph($"Every violation, one per row, is in the 'violations' table (its 'row' is 0-based{(lines is null ? "" : $", its 'line' the line of {lines.File}")}; the first {SchemaChecker.MaxRecorded} are kept).");
    }

    public static JsonObject GroupsJson(ViolationGrouper grouper, SourceLines? lines)
    {
        var json = new JsonObject
        {
            ["rows_are"] = "1-based data rows of the table; table-level rules have none",
            ["lines_of"] = lines?.File,
            ["ungrouped"] = grouper.Ungrouped,
        };
        json["list"] = new JsonArray(grouper.Groups().Select(g =>
        {
            var group = new JsonObject
            {
                ["column"] = g.Column, ["rule"] = g.Rule, ["value"] = g.Value, ["count"] = g.Count,
                ["first_rows"] = new JsonArray(g.FirstRows.Where(r => r >= 0).Select(r => (JsonNode?)(r + 1)).ToArray()),
            };
            if (lines is not null) group["first_lines"] = new JsonArray(g.FirstRows.Where(r => r >= 0).Select(r => (JsonNode?)lines.LineOf(r)).ToArray());
            return (JsonNode?)group;
        }).ToArray());
        return json;
    }

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
    private static string FirstPlaces(ViolationGroup group, SourceLines? lines) =>
        string.Join(", ", group.FirstRows.Where(r => r >= 0).Select(r => (lines?.LineOf(r) ?? r + 1).ToString(CultureInfo.InvariantCulture))) +
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
