namespace Pipelines.Synthetic;

/// <summary>
/// Distance to closest record (DCR): how close synthetic rows come to training rows, compared
/// with how close real rows the model never saw (a holdout) come. Distances are Gower-style in
/// [0, 1]: the mean over columns of |a − b| / training range for numbers, 0/1 for categories,
/// 1 when exactly one side is null.
/// </summary>
/// <param name="TrainingRows">Training rows searched (all, or a seeded sample of them).</param>
/// <param name="SyntheticRowsChecked">Synthetic rows whose DCR was measured.</param>
/// <param name="SyntheticDcrMean">Mean DCR of synthetic rows to the training rows.</param>
/// <param name="SyntheticDcrMedian">Median DCR of synthetic rows.</param>
/// <param name="ExactCopyShare">Share of checked synthetic rows identical to a training row.</param>
/// <param name="HoldoutRowsChecked">Holdout rows measured (0 without a holdout).</param>
/// <param name="HoldoutDcrMean">Mean DCR of holdout rows to the training rows.</param>
/// <param name="HoldoutDcrMedian">Median DCR of holdout rows.</param>
/// <param name="HoldoutExactCopyShare">Share of holdout rows identical to a training row (the data's own duplicate rate).</param>
/// <param name="DcrRatio">SyntheticDcrMean / HoldoutDcrMean: below 1 means synthetic rows sit closer to the training rows than new real rows do.</param>
/// <param name="Warning">A user-facing warning, or null when the synthetic rows look no closer than the holdout's.</param>
public sealed record PrivacyReport(
    int TrainingRows,
    int SyntheticRowsChecked,
    double SyntheticDcrMean,
    double SyntheticDcrMedian,
    double ExactCopyShare,
    int HoldoutRowsChecked,
    double? HoldoutDcrMean,
    double? HoldoutDcrMedian,
    double? HoldoutExactCopyShare,
    double? DcrRatio,
    string? Warning)
{
    /// <summary>SyntheticDcrMedian / HoldoutDcrMedian: the median counterpart of <see cref="DcrRatio"/>, robust to a few far rows.</summary>
    public double? DcrMedianRatio => HoldoutDcrMedian is > 0 ? SyntheticDcrMedian / HoldoutDcrMedian : null;
}
