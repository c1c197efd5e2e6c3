using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// Maps BERT parameters to and from Hugging Face weight names (<c>encoder.layer.0.attention.self.query.weight</c>;
/// <c>bert.</c>-prefixed in a <c>BertForSequenceClassification</c> checkpoint, with <c>classifier.weight</c>/<c>bias</c>).
/// BERT uses nn.Linear, so weights are [out, in] on both sides.
/// </summary>
public static class BertWeights
{
    /// <summary>The prefix <c>BertFor*</c> models put before body weights.</summary>
    public const string BodyPrefix = "bert.";

    /// <summary>The sequence-classification head's weight.</summary>
    public const string ClassifierWeight = "classifier.weight";

    /// <summary>The sequence-classification head's bias.</summary>
    public const string ClassifierBias = "classifier.bias";

    /// <summary>The HF names of a <see cref="BertModel"/>'s parameters (unprefixed, as <c>BertModel.save_pretrained</c> writes them).</summary>
    public static IEnumerable<string> ParameterNames(BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var e in new[] { "word_embeddings.weight", "position_embeddings.weight", "token_type_embeddings.weight", "LayerNorm.weight", "LayerNorm.bias" })
        {
            yield return "embeddings." + e;
        }

        var perLayer = new[]
        {
            "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
            "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm",
        };
        for (var i = 0; i < config.Layers; i++)
        {
            foreach (var module in perLayer)
            {
                yield return $"encoder.layer.{i}.{module}.weight";
                yield return $"encoder.layer.{i}.{module}.bias";
            }
        }

        yield return "pooler.dense.weight";
        yield return "pooler.dense.bias";
    }

    /// <summary>The pooler's weight-name prefix; sentence-embedding exports often drop the pooler.</summary>
    public const string PoolerPrefix = "pooler.";

    /// <summary>
    /// Loads body weights from <paramref name="file"/> (names with or without <c>bert.</c>). A checkpoint without the
    /// pooler (sentence-transformers exports such as snowflake-arctic-embed-xs) leaves it freshly initialised, as
    /// transformers does; embeddings and hidden states do not use it.
    /// </summary>
    /// <exception cref="InvalidDataException">An encoder or embedding weight is missing (all missing names are listed) or a weight has the wrong shape.</exception>
    public static void Load(BertModel body, SafetensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(file);
        var missing = new List<string>();
        foreach (var (name, parameter) in LlamaWeights.BaseParameters(body))
        {
            var key = file.Contains(name) ? name : file.Contains(BodyPrefix + name) ? BodyPrefix + name : null;
            if (key is null)
            {
                if (!name.StartsWith(PoolerPrefix, StringComparison.Ordinal))
                {
                    missing.Add(name);
                }

                continue;
            }

            Gpt2Weights.CopyInto(parameter, file, key, conv1D: false);
        }

        if (missing.Count > 0)
        {
            throw new InvalidDataException($"Weights file '{file.Path}' lacks {missing.Count} BERT weight(s): {string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", ..." : "")}.");
        }
    }

    /// <summary>Loads the body and, when the file has one for as many labels, the classifier head (otherwise it stays fresh).</summary>
    /// <exception cref="InvalidDataException">A body weight is missing or has the wrong shape.</exception>
    public static void Load(BertClassifier model, SafetensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(file);
        Load(model.Bert, file);
        if (file.Contains(ClassifierWeight) && file.Contains(ClassifierBias) && file.Info(ClassifierWeight).Shape[0] == model.Labels)
        {
            Gpt2Weights.CopyInto(model.Score.weight!, file, ClassifierWeight, conv1D: false);
            Gpt2Weights.CopyInto(model.Score.bias!, file, ClassifierBias, conv1D: false);
        }
    }

    /// <summary>
    /// The weights of a <see cref="BertModel"/> (unprefixed) or <see cref="BertClassifier"/> (<c>bert.</c>-prefixed body,
    /// <c>classifier.*</c>) under their HF names, LoRA wrappers looked through (base weights only).
    /// </summary>
    public static IEnumerable<SafetensorsTensor> Export(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return LlamaWeights.BaseParameters(model).Select(p => Gpt2Weights.ToSafetensor(p.Name, p.Parameter, transpose: false));
    }

    /// <summary>Writes the model's weights as a safetensors file in HF naming.</summary>
    public static void Save(nn.Module model, string path) =>
        SafetensorsWriter.Write(path, Export(model), new Dictionary<string, string> { ["format"] = "pt" });
}
