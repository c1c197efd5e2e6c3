using Pipelines.Core;

namespace Pipelines.Training;

/// <summary>The library versions training results depend on (part of stage fingerprints), read from what is loaded.</summary>
public static class TrainingLibraries
{
    // Read on first use: a pipeline without a training stage never loads TorchSharp or reads the deps file for them.
    private static readonly Lazy<IReadOnlyDictionary<string, string>> ReadVersions = new(() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["LibTorch"] = LibTorchVersion,
        ["Microsoft.ML.Tokenizers"] = LibraryVersion.Of(typeof(Microsoft.ML.Tokenizers.Tokenizer)),
        ["Parquet.Net"] = LibraryVersion.Of(typeof(Parquet.ParquetWriter)),
        ["TorchSharp"] = LibraryVersion.Of(typeof(TorchSharp.torch)),
    });

    /// <summary>The native LibTorch package the application carries (its managed wrapper, TorchSharp, does not report it).</summary>
    public static string LibTorchVersion => LibraryVersion.OfPackage("libtorch-") ?? "unknown";

    /// <summary>TorchSharp, LibTorch, Microsoft.ML.Tokenizers and Parquet.Net versions.</summary>
    public static IReadOnlyDictionary<string, string> Versions => ReadVersions.Value;
}
