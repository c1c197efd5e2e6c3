using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>One pre-RMSNorm decoder layer: x + self_attn(input_layernorm(x)), then + mlp(post_attention_layernorm(x)).</summary>
public sealed class LlamaDecoderLayer : Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly LlamaRmsNorm input_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly LlamaRmsNorm post_attention_layernorm;
    private readonly LlamaMlp mlp;
#pragma warning restore IDE1006

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public LlamaDecoderLayer(LlamaConfig config) : base(nameof(LlamaDecoderLayer))
    {
        ArgumentNullException.ThrowIfNull(config);
        input_layernorm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEpsilon);
        self_attn = new LlamaAttention(config);
        post_attention_layernorm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEpsilon);
        mlp = new LlamaMlp(config);
        RegisterComponents();
    }

    /// <summary>Hidden states [B, T, C] with rotary tables and the blocked-pair mask (see <see cref="LlamaAttention"/>).</summary>
    public override Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor blocked)
    {
        using var scope = NewDisposeScope();
        x = x.add(self_attn.forward(input_layernorm.forward(x), cos, sin, blocked));
        return x.add(mlp.forward(post_attention_layernorm.forward(x))).MoveToOuterDisposeScope();
    }
}
