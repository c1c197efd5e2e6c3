using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>GPT-2 with the causal-LM head tied to the token embedding (Hugging Face's <c>GPT2LMHeadModel</c>).</summary>
public sealed class Gpt2LanguageModel : Module<Tensor, Tensor>, ICausalLanguageModel
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly Gpt2Transformer transformer;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised model for <paramref name="config"/>.</summary>
    public Gpt2LanguageModel(Gpt2Config config) : base(nameof(Gpt2LanguageModel))
    {
        transformer = new Gpt2Transformer(config);
        RegisterComponents();
    }

    /// <summary>The body.</summary>
    public Gpt2Transformer Transformer => transformer;

    /// <summary>Token ids [B, T] to next-token logits [B, T, V].</summary>
    public override Tensor forward(Tensor ids) =>
        transformer.forward(ids).matmul(transformer.TokenEmbedding.t());
}
