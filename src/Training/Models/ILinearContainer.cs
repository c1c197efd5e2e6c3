using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>A module whose linear (or embedding) children can be swapped (LoRA injection replaces them with wrappers).</summary>
internal interface ILinearContainer
{
    /// <summary>Replaces the child <paramref name="name"/>, keeping registration and the forward path in step.</summary>
    void ReplaceLinear(string name, nn.Module<Tensor, Tensor> replacement);
}
