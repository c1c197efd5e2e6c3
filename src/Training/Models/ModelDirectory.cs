namespace Pipelines.Training;

/// <summary>
/// A model directory in Hugging Face's layout: <c>config.json</c>, <c>model.safetensors</c>, <c>vocab.json</c>,
/// <c>merges.txt</c>. What <c>pretrain</c> writes and what <c>base_model</c> points at.
/// </summary>
public static class ModelDirectory
{
    /// <summary>Config file name.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>Weights file name.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>Reads the config.</summary>
    /// <exception cref="InvalidDataException">The directory has no config.json or it is malformed.</exception>
    public static Gpt2Config LoadConfig(string directory) =>
        Gpt2Config.Load(Require(directory, ConfigFile));

    /// <summary>Reads the tokenizer.</summary>
    public static Gpt2Tokenizer LoadTokenizer(string directory) => Gpt2Tokenizer.Load(directory);

    /// <summary>Builds a causal LM from the directory's config and weights.</summary>
    public static Gpt2LanguageModel LoadLanguageModel(string directory, Gpt2Config? config = null)
    {
        var model = new Gpt2LanguageModel(config ?? LoadConfig(directory));
        LoadBody(directory, model.Transformer);
        return model;
    }

    /// <summary>Builds a classifier from the directory's body weights (the head starts fresh unless the file has <c>score.weight</c>).</summary>
    public static Gpt2Classifier LoadClassifier(string directory, int labels, Gpt2Config? config = null)
    {
        var model = new Gpt2Classifier(config ?? LoadConfig(directory), labels);
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
        foreach (var name in new[] { "vocab.json", "merges.txt" })
        {
            var target = Path.Combine(directory, name);
            if (Path.GetFullPath(tokenizerDirectory) != Path.GetFullPath(directory))
            {
                File.Copy(Path.Combine(tokenizerDirectory, name), target, overwrite: true);
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
            : throw new InvalidDataException($"Model directory '{directory}' has no {name}: a base model needs config.json, model.safetensors, vocab.json and merges.txt (Hugging Face GPT-2 layout).");
    }
}
