using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>A model with a sequence-classification head (<c>score</c>), whatever its layout; what the trainer and scorer call.</summary>
public interface ISequenceClassifier
{
    /// <summary>The classification head [labels, hidden], trained beside LoRA adapters and saved as a module to save.</summary>
    Linear Score { get; }

    /// <summary>The head's Hugging Face module name, listed in PEFT's <c>modules_to_save</c> (<c>score</c>; BERT's is <c>classifier</c>).</summary>
    string HeadModule => "score";

    /// <summary>Number of classes.</summary>
    int Labels { get; }

#pragma warning disable IDE1006 // TorchSharp's forward naming, so modules implement it with their own forward
    /// <summary>Token ids [B, T] and attention mask [B, T] (1 = token) to logits [B, labels].</summary>
    Tensor forward(Tensor ids, Tensor attentionMask);
#pragma warning restore IDE1006
}
