using Pipelines.Core;

namespace Pipelines.Synthetic;

/// <summary>The library versions each synthesis method's results depend on, read from the loaded assemblies.</summary>
internal static class SynthesisLibraries
{
    private static string Parquet => LibraryVersion.Of(typeof(global::Parquet.ParquetWriter));

    /// <summary>The Gaussian copula: MathNet.Numerics.</summary>
    public static IReadOnlyDictionary<string, string> Copula { get; } = new LazyVersions(() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["MathNet.Numerics"] = LibraryVersion.Of(typeof(MathNet.Numerics.Distributions.Normal)),
        ["Parquet.Net"] = Parquet,
    });

    /// <summary>The Bayesian network: this library's own code, written out through Parquet.Net.</summary>
    public static IReadOnlyDictionary<string, string> Network { get; } = new LazyVersions(() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["Parquet.Net"] = Parquet,
    });

    /// <summary>TVAE and the text model: trained with TorchSharp, sampled with ONNX Runtime.</summary>
    public static IReadOnlyDictionary<string, string> Neural { get; } = new LazyVersions(() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["LibTorch"] = LibraryVersion.OfPackage("libtorch-") ?? "unknown",
        ["Microsoft.ML.OnnxRuntime"] = LibraryVersion.Of(typeof(Microsoft.ML.OnnxRuntime.InferenceSession)),
        ["Parquet.Net"] = Parquet,
        ["TorchSharp"] = LibraryVersion.Of(typeof(TorchSharp.torch)),
    });
}
