using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// A model directory in Hugging Face's layout: <c>config.json</c>, <c>model.safetensors</c>, and the tokenizer
/// (<c>vocab.json</c> + <c>merges.txt</c> for GPT-2 and Llama, <c>vocab.txt</c> for BERT). What <c>pretrain</c> writes
/// and what <c>base_model</c> points at.
/// </summary>
public static class ModelDirectory
{
    /// <summary>Config file name.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>Weights file name.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>Reads the config: a <see cref="Gpt2Config"/> or <see cref="LlamaConfig"/> by its <c>model_type</c>.</summary>
    /// <exception cref="InvalidDataException">The directory has no config.json, it is malformed, or its model_type is not supported.</exception>
    public static IModelConfig LoadConfig(string directory) =>
        ModelConfigs.Load(Require(directory, ConfigFile));

    /// <summary>Reads the tokenizer.</summary>
    public static Gpt2Tokenizer LoadTokenizer(string directory) => Gpt2Tokenizer.Load(directory);

    /// <summary>Builds a causal LM from the directory's config and weights.</summary>
    public static Gpt2LanguageModel LoadLanguageModel(string directory, Gpt2Config? config = null)
    {
        var model = new Gpt2LanguageModel(config ?? Gpt2(directory));
        LoadBody(directory, model.Transformer);
        return model;
    }

    /// <summary>Builds a classifier from the directory's body weights (the head starts fresh unless the file has <c>score.weight</c>).</summary>
    public static Gpt2Classifier LoadClassifier(string directory, int labels, Gpt2Config? config = null)
    {
        var model = new Gpt2Classifier(config ?? Gpt2(directory), labels);
        LoadBody(directory, model.Transformer);
        using var file = SafetensorsFile.Open(Path.Combine(directory, WeightsFile));
        if (file.Contains("score.weight") && file.Info("score.weight").Shape[0] == labels)
        {
            Gpt2Weights.CopyInto(model.Score.weight!, file, "score.weight", conv1D: false);
        }

        return model;
    }

    /// <summary>Writes config, weights (HF names) and the tokenizer files copied from <paramref name="tokenizerDirectory"/>.</summary>
    public static void Save(string directory, Gpt2Transformer body, string tokenizerDirectory, Gpt2Classifier? classifier = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        Directory.CreateDirectory(directory);
        body.Config.Save(Path.Combine(directory, ConfigFile));
        var tensors = Gpt2Weights.Export(body).ToList();
        if (classifier is not null)
        {
            tensors.Add(Gpt2Weights.ToSafetensor("score.weight", classifier.Score.weight!, false));
        }

        SafetensorsWriter.Write(Path.Combine(directory, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        CopyTokenizer(tokenizerDirectory, directory);
    }

    // ---- Layout dispatch (gpt2 | llama): what the stages call so they work with either layout. ----

    /// <summary>Builds the causal LM the directory's config describes (GPT-2 or Llama) with its weights.</summary>
    /// <exception cref="InvalidDataException">The files are missing, malformed or do not fit together.</exception>
    public static nn.Module LoadCausalLanguageModel(string directory, IModelConfig? config = null) => (config ?? LoadConfig(directory)) switch
    {
        Gpt2Config gpt2 => LoadLanguageModel(directory, gpt2),
        LlamaConfig llama => LoadLlama(directory, new LlamaLanguageModel(llama), LlamaWeights.Load),
        var other => throw Unsupported(directory, other),
    };

    /// <summary>Builds the sequence classifier for the directory's layout (the head starts fresh unless the file has <c>score.weight</c> for as many labels).</summary>
    /// <exception cref="InvalidDataException">The files are missing, malformed or do not fit together.</exception>
    public static nn.Module LoadSequenceClassifier(string directory, int labels, IModelConfig? config = null) => (config ?? LoadConfig(directory)) switch
    {
        Gpt2Config gpt2 => LoadClassifier(directory, labels, gpt2),
        LlamaConfig llama => LoadLlama(directory, new LlamaClassifier(llama, labels), LlamaWeights.Load),
        BertConfig bert => LoadLlama(directory, new BertClassifier(bert, labels), BertWeights.Load),
        var other => throw Unsupported(directory, other),
    };

    /// <summary>Builds the BERT body (<c>BertModel</c>) from an HF BERT directory (weights with or without <c>bert.</c>).</summary>
    /// <exception cref="InvalidDataException">The files are missing, malformed, not BERT, or do not fit together.</exception>
    public static BertModel LoadBert(string directory) => LoadConfig(directory) is BertConfig config
        ? LoadLlama(directory, new BertModel(config), BertWeights.Load)
        : throw new InvalidDataException($"Model directory '{directory}' holds a {LoadConfig(directory).ModelType} model, not BERT.");

    /// <summary>Reads a BERT directory's WordPiece tokenizer (<c>vocab.txt</c>, <c>tokenizer_config.json</c>).</summary>
    public static BertWordPieceTokenizer LoadBertTokenizer(string directory) => BertWordPieceTokenizer.Load(directory);

    /// <summary>Writes any supported model (LM or classifier, GPT-2 or Llama) as a full model directory with the tokenizer files.</summary>
    /// <exception cref="ArgumentException">The model is not one of the supported layouts.</exception>
    public static void SaveModel(string directory, nn.Module model, string tokenizerDirectory)
    {
        ArgumentNullException.ThrowIfNull(model);
        switch (model)
        {
            case Gpt2LanguageModel lm:
                Save(directory, lm.Transformer, tokenizerDirectory);
                break;
            case Gpt2Classifier classifier:
                Save(directory, classifier.Transformer, tokenizerDirectory, classifier);
                break;
            case LlamaLanguageModel or LlamaClassifier:
                Directory.CreateDirectory(directory);
                var config = model is LlamaLanguageModel l ? l.Model.Config : ((LlamaClassifier)model).Model.Config;
                config.Save(Path.Combine(directory, ConfigFile));
                LlamaWeights.Save(model, Path.Combine(directory, WeightsFile));
                CopyTokenizer(tokenizerDirectory, directory);
                break;
            case BertModel or BertClassifier:
                Directory.CreateDirectory(directory);
                (model is BertModel b ? b.Config : ((BertClassifier)model).Bert.Config).Save(Path.Combine(directory, ConfigFile));
                BertWeights.Save(model, Path.Combine(directory, WeightsFile));
                CopyFiles(tokenizerDirectory, directory, BertWordPieceTokenizer.VocabFile);
                if (File.Exists(Path.Combine(tokenizerDirectory, BertWordPieceTokenizer.ConfigFile)))
                {
                    CopyFiles(tokenizerDirectory, directory, BertWordPieceTokenizer.ConfigFile);
                }

                break;
            default:
                throw new ArgumentException($"Model type {model.GetType().Name} cannot be saved as a model directory.", nameof(model));
        }
    }

    private static T LoadLlama<T>(string directory, T model, Action<T, SafetensorsFile> load)
        where T : nn.Module
    {
        try
        {
            using var file = SafetensorsFile.Open(Require(directory, WeightsFile));
            load(model, file);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static Gpt2Config Gpt2(string directory) => LoadConfig(directory) as Gpt2Config
        ?? throw new InvalidDataException($"Model directory '{directory}' holds a {LoadConfig(directory).ModelType} model, not GPT-2; load it with {nameof(LoadCausalLanguageModel)} or {nameof(LoadSequenceClassifier)}.");

    private static InvalidDataException Unsupported(string directory, IModelConfig config) =>
        new($"Model directory '{directory}' has model_type '{config.ModelType}', which is not supported. Supported model types: {string.Join(", ", ModelConfigs.Supported)}.");

    private static void CopyTokenizer(string tokenizerDirectory, string directory) =>
        CopyFiles(tokenizerDirectory, directory, "vocab.json", "merges.txt");

    private static void CopyFiles(string sourceDirectory, string directory, params string[] names)
    {
        foreach (var name in names)
        {
            var source = Path.Combine(sourceDirectory, name);
            if (Path.GetFullPath(sourceDirectory) != Path.GetFullPath(directory))
            {
                File.Copy(source, Path.Combine(directory, name), overwrite: true);
            }
        }
    }

    private static void LoadBody(string directory, Gpt2Transformer body)
    {
        using var file = SafetensorsFile.Open(Require(directory, WeightsFile));
        Gpt2Weights.Load(body, file);
    }

    private static string Require(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        return File.Exists(path)
            ? path
            : throw new InvalidDataException($"Model directory '{directory}' has no {name}: a base model needs config.json, model.safetensors, vocab.json and merges.txt (Hugging Face layout, model_type gpt2 or llama; a bert directory has vocab.txt instead of vocab.json and merges.txt).");
    }
}
