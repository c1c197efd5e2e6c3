namespace Pipelines.Eval;

/// <summary>Precision, recall and F1 of one class (one-vs-rest); 0 where undefined (no predictions or no support).</summary>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);
