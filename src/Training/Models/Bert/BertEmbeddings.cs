using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>BERT's input embeddings: word + absolute position + token type, then LayerNorm and dropout.</summary>
public sealed class BertEmbeddings : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly TorchSharp.Modules.LayerNorm LayerNorm;
    private readonly Module<Tensor, Tensor> dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the embeddings for <paramref name="config"/>.</summary>
    public BertEmbeddings(BertConfig config) : base(nameof(BertEmbeddings))
    {
        ArgumentNullException.ThrowIfNull(config);
        word_embeddings = Embedding(config.VocabSize, config.HiddenSize);
        position_embeddings = Embedding(config.Positions, config.HiddenSize);
        token_type_embeddings = Embedding(config.TypeVocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEpsilon);
        dropout = Dropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>The word embedding matrix [V, C].</summary>
    public Parameter WordEmbedding => word_embeddings.weight!;

    /// <summary>Token ids [B, T] and token type ids [B, T] to embeddings [B, T, C]; positions are 0..T-1, as transformers does without position_ids.</summary>
    public override Tensor forward(Tensor ids, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var positions = arange(ids.shape[1], ScalarType.Int64, ids.device).unsqueeze(0);
        var x = word_embeddings.forward(ids) + position_embeddings.forward(positions) + token_type_embeddings.forward(tokenTypeIds);
        return dropout.forward(LayerNorm.forward(x)).MoveToOuterDisposeScope();
    }
}
