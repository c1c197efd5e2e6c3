using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>A model with a next-token head, whatever its layout; what the trainer and scorer call.</summary>
public interface ICausalLanguageModel
{
#pragma warning disable IDE1006 // TorchSharp's forward naming, so modules implement it with their own forward
    /// <summary>Token ids [B, T] (right-padded) to next-token logits [B, T, V].</summary>
    Tensor forward(Tensor ids);
#pragma warning restore IDE1006
}
