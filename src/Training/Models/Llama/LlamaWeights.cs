using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// Maps Llama parameters to and from Hugging Face weight names (<c>model.layers.0.self_attn.q_proj.weight</c>,
/// <c>lm_head.weight</c>, <c>score.weight</c>). Llama uses nn.Linear, so weights are [out, in] on both sides: no transposition.
/// </summary>
public static class LlamaWeights
{
    /// <summary>The prefix <c>LlamaForCausalLM</c> and <c>LlamaForSequenceClassification</c> put before body weights.</summary>
    public const string BodyPrefix = "model.";

    /// <summary>The untied causal-LM head.</summary>
    public const string LanguageModelHead = "lm_head.weight";

    /// <summary>The sequence-classification head.</summary>
    public const string ClassifierHead = "score.weight";

    /// <summary>Loads body weights from <paramref name="file"/> (names with or without <c>model.</c>).</summary>
    /// <exception cref="InvalidDataException">A weight is missing (all missing names are listed) or has the wrong shape.</exception>
    public static void Load(LlamaModel body, SafetensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(file);
        var missing = new List<string>();
        foreach (var (name, parameter) in BaseParameters(body))
        {
            var key = file.Contains(BodyPrefix + name) ? BodyPrefix + name : file.Contains(name) ? name : null;
            if (key is null)
            {
                missing.Add(BodyPrefix + name);
                continue;
            }

            Gpt2Weights.CopyInto(parameter, file, key, conv1D: false);
        }

        ThrowIfMissing(file, missing);
    }

    /// <summary>Loads the body and, unless embeddings are tied, <c>lm_head.weight</c> (a tied model ignores a stored copy, as transformers does).</summary>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape.</exception>
    public static void Load(LlamaLanguageModel model, SafetensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(file);
        Load(model.Model, file);
        if (model.LanguageModelHead is { } head)
        {
            ThrowIfMissing(file, file.Contains(LanguageModelHead) ? [] : [LanguageModelHead + " (tie_word_embeddings is false)"]);
            Gpt2Weights.CopyInto(head.weight!, file, LanguageModelHead, conv1D: false);
        }
    }

    /// <summary>Loads the body and, when the file has one for the same number of labels, <c>score.weight</c> (otherwise the head stays fresh).</summary>
    /// <exception cref="InvalidDataException">A body weight is missing or has the wrong shape.</exception>
    public static void Load(LlamaClassifier model, SafetensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(file);
        Load(model.Model, file);
        if (file.Contains(ClassifierHead) && file.Info(ClassifierHead).Shape[0] == model.Labels)
        {
            Gpt2Weights.CopyInto(model.Score.weight!, file, ClassifierHead, conv1D: false);
        }
    }

    /// <summary>
    /// The weights of a <see cref="LlamaLanguageModel"/> or <see cref="LlamaClassifier"/> under their HF names, LoRA wrappers
    /// looked through (base weights only; a merged adapter is therefore included). A tied <c>lm_head</c> is omitted, as HF does.
    /// </summary>
    public static IEnumerable<SafetensorsTensor> Export(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var prefix = model is LlamaModel ? BodyPrefix : "";
        return BaseParameters(model).Select(p => Gpt2Weights.ToSafetensor(prefix + p.Name, p.Parameter, transpose: false));
    }

    /// <summary>Writes the model's weights as a safetensors file in HF naming.</summary>
    public static void Save(nn.Module model, string path) =>
        SafetensorsWriter.Write(path, Export(model), new Dictionary<string, string> { ["format"] = "pt" });

    /// <summary>Parameters under their HF names: LoRA wrappers' <c>base_layer</c> is looked through, adapters skipped.</summary>
    internal static IEnumerable<(string Name, Tensor Parameter)> BaseParameters(nn.Module model)
    {
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.Contains(".lora_", StringComparison.Ordinal))
            {
                continue;
            }

            yield return (name.Replace(".base_layer.", ".", StringComparison.Ordinal), parameter);
        }
    }

    private static void ThrowIfMissing(SafetensorsFile file, List<string> missing)
    {
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"Weights file '{file.Path}' lacks {missing.Count} Llama weight(s): {string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", ..." : "")}.");
        }
    }
}
