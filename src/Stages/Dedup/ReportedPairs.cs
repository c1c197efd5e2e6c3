namespace Pipelines.Stages.Dedup;

/// <summary>
/// The removed rows the report lists beside the row each duplicates: per section (exact and near copies within the
/// table, matches of the <c>across</c> table), the first <see cref="DedupConstants.PairsPerSectionInReport"/> by removed row.
/// </summary>
internal static class ReportedPairs
{
    public const string Exact = "exact";
    public const string Near = "near";
    public const string Across = "across";

    /// <summary>Section names, in report order.</summary>
    public static IReadOnlyList<string> Sections { get; } = [Exact, Near, Across];

    public static string SectionOf(DuplicateRecord record) =>
        record.Across ? Across : record.Kind == DuplicateKind.Exact ? Exact : Near;

    /// <summary>The records listed in <paramref name="section"/> (the outcome orders records by removed row).</summary>
    public static IEnumerable<DuplicateRecord> Shown(DedupOutcome outcome, string section) =>
        outcome.Records.Where(r => SectionOf(r) == section).Take(DedupConstants.PairsPerSectionInReport);

    /// <summary>Table rows whose text the listed pairs show: every removed row, and the kept row of within-table pairs.</summary>
    public static IEnumerable<int> TableRows(DedupOutcome outcome) =>
        Sections.SelectMany(s => Shown(outcome, s)).SelectMany(r => r.Across ? [(int)r.RemovedRow] : new[] { (int)r.RemovedRow, (int)r.KeptRow });

    /// <summary>Rows of the <c>across</c> table whose text the listed pairs show.</summary>
    public static IEnumerable<int> AcrossRows(DedupOutcome outcome) => Shown(outcome, Across).Select(r => (int)r.KeptRow);
}
