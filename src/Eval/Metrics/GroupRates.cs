namespace Pipelines.Eval;

/// <summary>
/// Figures for one value of a sensitive column: accuracy, selection rate (share predicted positive),
/// true-positive rate and false-positive rate (null where the group has no actual positives/negatives).
/// </summary>
public sealed record GroupRates(string Group, int Count, double Accuracy, double SelectionRate, double? TruePositiveRate, double? FalsePositiveRate);
