using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>
/// Llama with the causal-LM head (Hugging Face's <c>LlamaForCausalLM</c>): <c>lm_head</c> (no bias), or the token
/// embedding when <c>tie_word_embeddings</c> is set. Parameter names are the HF checkpoint names
/// (<c>model.layers.0.self_attn.q_proj.weight</c>, <c>lm_head.weight</c>), so LoRA paths are PEFT's.
/// </summary>
public sealed class LlamaLanguageModel : Module<Tensor, Tensor>, ICausalLanguageModel
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly LlamaModel model;
    private readonly Linear? lm_head;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised model for <paramref name="config"/>.</summary>
    public LlamaLanguageModel(LlamaConfig config) : base(nameof(LlamaLanguageModel))
    {
        model = new LlamaModel(config);
        if (!config.TieWordEmbeddings)
        {
            lm_head = Linear(config.HiddenSize, config.VocabSize, hasBias: false);
            using var noGrad = no_grad();
            init.normal_(lm_head.weight!, 0, 0.02);
        }

        RegisterComponents();
    }

    /// <summary>The body.</summary>
    public LlamaModel Model => model;

    /// <summary>The untied output projection [V, C]; null when tied to the token embedding.</summary>
    public Linear? LanguageModelHead => lm_head;

    /// <summary>Token ids [B, T] to next-token logits [B, T, V].</summary>
    public override Tensor forward(Tensor ids) => forward(ids, null);

#pragma warning disable IDE1006 // an overload of TorchSharp's forward
    /// <summary>Token ids [B, T] and an optional attention mask [B, T] (1 = token) to next-token logits [B, T, V].</summary>
    public Tensor forward(Tensor ids, Tensor? attentionMask)
    {
        using var scope = NewDisposeScope();
        var hidden = model.forward(ids, attentionMask);
        var logits = lm_head is null ? hidden.matmul(model.TokenEmbedding.t()) : lm_head.forward(hidden);
        return logits.MoveToOuterDisposeScope();
    }
#pragma warning restore IDE1006
}
