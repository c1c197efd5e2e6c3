using System.Text.RegularExpressions;

namespace Pipelines.Stages.Ingest;

/// <summary>Defaults and limits of <c>ingest</c>.</summary>
internal static partial class IngestConstants
{
    public const int DefaultRowGroupSize = 65_536;
    public const int DefaultInferenceSample = 100_000;
    public const int MinRowGroupSize = 1;
    public const int MaxRowGroupSize = 4_194_304;

    /// <summary>
    /// Cells one row group may hold (rows × columns, about 16 bytes each): wide files get fewer rows per group, so a
    /// group stays near 16 MiB whatever the column count (10,000 columns × 65,536 rows would be 10 GB).
    /// </summary>
    public const int MaxCellsPerRowGroup = 1 << 20;

    /// <summary>Rows per row group for <paramref name="columns"/> columns: the configured size, capped by <see cref="MaxCellsPerRowGroup"/>.</summary>
    public static int RowsPerGroup(int configured, int columns) =>
        Math.Max(MinRowGroupSize, Math.Min(configured, MaxCellsPerRowGroup / Math.Max(1, columns)));

    /// <summary>An SPDX licence expression's shape: identifiers (<c>CC-BY-4.0</c>, <c>LicenseRef-x</c>) joined by AND, OR or WITH.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*$")]
    public static partial Regex LicensePattern();
}
