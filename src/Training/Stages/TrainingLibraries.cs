namespace Pipelines.Training;

/// <summary>The library versions training results depend on (part of stage fingerprints).</summary>
public static class TrainingLibraries
{
    /// <summary>TorchSharp, LibTorch and Microsoft.ML.Tokenizers versions.</summary>
    public static IReadOnlyDictionary<string, string> Versions { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["LibTorch"] = "2.10.0",
        ["Microsoft.ML.Tokenizers"] = "2.0.1",
        ["TorchSharp"] = "0.107.0",
    };
}
