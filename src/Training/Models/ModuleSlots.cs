using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>Re-registers a child module under the same name (TorchSharp refuses to register a name twice).</summary>
internal static class ModuleSlots
{
    public static void Reregister(nn.Module parent, string name, nn.Module<Tensor, Tensor> replacement)
    {
        parent.register_module(name, null!);
        parent.register_module(name, replacement);
    }
}
