namespace Pipelines.Training;

/// <summary>Reads a Hugging Face <c>config.json</c> into the configuration of its layout, by <c>model_type</c>.</summary>
public static class ModelConfigs
{
    /// <summary>The <c>model_type</c> values this library builds models for.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["gpt2", LlamaConfig.Type, BertConfig.Type];

    /// <summary>Reads <paramref name="path"/>: <c>gpt2</c> (also when model_type is absent), <c>llama</c> or <c>bert</c>.</summary>
    /// <exception cref="InvalidDataException">The file is malformed or names a model_type this library cannot build.</exception>
    public static IModelConfig Load(string path)
    {
        var type = ConfigJson.ReadObject(path)["model_type"] is { } node
            ? node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString()
            : "gpt2";
        return type switch
        {
            "gpt2" => Gpt2Config.Load(path),
            LlamaConfig.Type => LlamaConfig.Load(path),
            BertConfig.Type => BertConfig.Load(path),
            _ => throw new InvalidDataException(
                $"Model config '{path}' has model_type '{type}', which is not supported. Supported model types: {string.Join(", ", Supported)}."),
        };
    }
}
