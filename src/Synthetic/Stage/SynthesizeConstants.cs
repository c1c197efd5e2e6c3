namespace Pipelines.Synthetic;

/// <summary>Names and defaults of the <c>synthesize</c> stage.</summary>
internal static class SynthesizeConstants
{
    public const string Kind = "synthesize";
    public const string DefaultMethod = GaussianCopulaSynthesizer.MethodName;
    public const string SourceColumn = "_source";
    public const string SourceReal = "real";
    public const string SourceSynthetic = "synthetic";

    public const string InputTable = "table";
    public const string InputHoldout = "holdout";
    public const string InputGenerator = "generator";

    public const string OutputSynthetic = "synthetic";
    public const string OutputMixed = "mixed";
    public const string OutputModel = "model";
    public const string OutputReport = "report";

    /// <summary>Generated texts shown beside real ones in the report.</summary>
    public const int TextSamplesInReport = 10;
}
