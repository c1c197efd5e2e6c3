using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// Saves and loads LoRA adapters in PEFT's layout: <c>adapter_config.json</c> and <c>adapter_model.safetensors</c>
/// with keys <c>base_model.model.&lt;module path&gt;.lora_A.weight</c> [r, in] and <c>.lora_B.weight</c> [out, r]
/// (embeddings: <c>.lora_embedding_A</c> [r, vocabulary] and <c>.lora_embedding_B</c> [width, r]),
/// plus fully trained modules (<c>modules_to_save</c>) as <c>base_model.model.&lt;module&gt;.weight</c>.
/// </summary>
public static class PeftAdapter
{
    /// <summary>PEFT's key prefix.</summary>
    public const string Prefix = "base_model.model.";

    /// <summary>Config file name.</summary>
    public const string ConfigFile = "adapter_config.json";

    /// <summary>Weights file name.</summary>
    public const string WeightsFile = "adapter_model.safetensors";

    /// <summary>Writes the adapters of <paramref name="model"/> (and the parameters of <see cref="PeftAdapterConfig.ModulesToSave"/>) to <paramref name="directory"/>.</summary>
    public static void Save(string directory, nn.Module model, IReadOnlyList<(string Path, LoraLayer Layer)> adapters, PeftAdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(adapters);
        ArgumentNullException.ThrowIfNull(config);
        Directory.CreateDirectory(directory);
        var tensors = new List<SafetensorsTensor>();
        foreach (var (path, layer) in adapters)
        {
            tensors.Add(Gpt2Weights.ToSafetensor($"{Prefix}{path}.{layer.AKey}", layer.A, false));
            tensors.Add(Gpt2Weights.ToSafetensor($"{Prefix}{path}.{layer.BKey}", layer.B, false));
        }

        foreach (var (name, parameter) in SavedModuleParameters(model, config.ModulesToSave))
        {
            tensors.Add(Gpt2Weights.ToSafetensor(Prefix + name, parameter, false));
        }

        SafetensorsWriter.Write(Path.Combine(directory, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        config.Save(Path.Combine(directory, ConfigFile));
    }

    /// <summary>Reads <paramref name="directory"/>, injects adapters into <paramref name="model"/> as its config says and loads their weights.</summary>
    /// <exception cref="InvalidDataException">The files are missing, malformed or do not fit the model.</exception>
    public static (PeftAdapterConfig Config, IReadOnlyList<(string Path, LoraLayer Layer)> Adapters) Load(string directory, nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var configPath = Path.Combine(directory, ConfigFile);
        var weightsPath = Path.Combine(directory, WeightsFile);
        foreach (var required in new[] { configPath, weightsPath })
        {
            if (!File.Exists(required))
            {
                throw new InvalidDataException($"Adapter directory '{directory}' has no {Path.GetFileName(required)}.");
            }
        }

        var config = PeftAdapterConfig.Load(configPath);
        var adapters = LoraInjection.Inject(model, config.Lora);
        using var file = SafetensorsFile.Open(weightsPath);
        foreach (var (path, layer) in adapters)
        {
            Copy(file, $"{Prefix}{path}.{layer.AKey}", layer.A);
            Copy(file, $"{Prefix}{path}.{layer.BKey}", layer.B);
        }

        foreach (var (name, parameter) in SavedModuleParameters(model, config.ModulesToSave))
        {
            Copy(file, Prefix + name, parameter);
        }

        return (config, adapters);
    }

    private static void Copy(SafetensorsFile file, string key, Tensor target)
    {
        if (!file.Contains(key))
        {
            throw new InvalidDataException($"Adapter weights '{file.Path}' have no tensor '{key}'.");
        }

        Gpt2Weights.CopyInto(target, file, key, conv1D: false);
    }

    private static IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> SavedModuleParameters(nn.Module model, IReadOnlyList<string> modules)
    {
        if (modules.Count == 0)
        {
            yield break;
        }

        foreach (var (name, parameter) in model.named_parameters())
        {
            if (modules.Any(m => name.StartsWith(m + ".", StringComparison.Ordinal) || name.Contains("." + m + ".", StringComparison.Ordinal)))
            {
                yield return (name, parameter);
            }
        }
    }
}
