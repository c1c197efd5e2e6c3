using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>A frozen base layer plus a trainable low-rank update scaling · B·A (<see cref="LoraLinear"/>, <see cref="LoraEmbedding"/>).</summary>
public abstract class LoraLayer : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module named <paramref name="name"/>.</summary>
    protected LoraLayer(string name) : base(name)
    {
    }

    /// <summary>Rank r.</summary>
    public abstract int Rank { get; }

    /// <summary>The factor applied to B·A (alpha/r or alpha/√r).</summary>
    public abstract double Scaling { get; }

    /// <summary>Whether the update is currently folded into the base weight.</summary>
    public bool Merged { get; private set; }

    /// <summary>The A factor (PEFT's shape and name: see <see cref="AKey"/>).</summary>
    public abstract Parameter A { get; }

    /// <summary>The B factor (PEFT's shape and name: see <see cref="BKey"/>).</summary>
    public abstract Parameter B { get; }

    /// <summary>PEFT's key suffix of A after the module path (<c>lora_A.weight</c> or <c>lora_embedding_A</c>).</summary>
    public abstract string AKey { get; }

    /// <summary>PEFT's key suffix of B after the module path (<c>lora_B.weight</c> or <c>lora_embedding_B</c>).</summary>
    public abstract string BKey { get; }

    /// <summary>The frozen weight the update is folded into.</summary>
    protected abstract Parameter BaseWeight { get; }

    /// <summary>Folds scaling · B·A into the base weight (no-op when already merged).</summary>
    public void Merge()
    {
        if (Merged)
        {
            return;
        }

        using (no_grad())
        using (var delta = DeltaWeight())
        {
            BaseWeight.add_(delta);
        }

        Merged = true;
    }

    /// <summary>Subtracts the update from the base weight again (no-op when not merged).</summary>
    public void Unmerge()
    {
        if (!Merged)
        {
            return;
        }

        using (no_grad())
        using (var delta = DeltaWeight())
        {
            BaseWeight.sub_(delta);
        }

        Merged = false;
    }

    /// <summary>scaling · B·A in the base weight's layout.</summary>
    protected abstract Tensor DeltaWeight();
}
