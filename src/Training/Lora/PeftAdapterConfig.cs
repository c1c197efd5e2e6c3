using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Training;

/// <summary>The fields of PEFT's <c>adapter_config.json</c> for a LoRA adapter that this library reads and writes.</summary>
public sealed record PeftAdapterConfig
{
    /// <summary>LoRA hyper-parameters (<c>r</c>, <c>lora_alpha</c>, <c>lora_dropout</c>, <c>target_modules</c>, <c>use_rslora</c>).</summary>
    public required LoraOptions Lora { get; init; }

    /// <summary><c>task_type</c>: <c>CAUSAL_LM</c> or <c>SEQ_CLS</c>.</summary>
    public required string TaskType { get; init; }

    /// <summary><c>base_model_name_or_path</c>.</summary>
    public string BaseModel { get; init; } = "";

    /// <summary><c>modules_to_save</c>: fully trained modules stored beside the adapters (e.g. <c>score</c>).</summary>
    public IReadOnlyList<string> ModulesToSave { get; init; } = [];

    /// <summary><c>fan_in_fan_out</c>: true for GPT-2's Conv1D base weights [in, out] (default), false for nn.Linear layouts such as Llama.</summary>
    public bool FanInFanOut { get; init; } = true;

    /// <summary>Writes the file with PEFT's keys.</summary>
    public void Save(string path)
    {
        var targets = Lora.TargetModules.Any(LoraInjection.IsRegex)
            ? (JsonNode)JsonValue.Create("(?:" + string.Join("|", Lora.TargetModules.Select(t => LoraInjection.IsRegex(t) ? t : @"(?:.*\.)?" + t)) + ")")
            : new JsonArray(Lora.TargetModules.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        var o = new JsonObject
        {
            ["alpha_pattern"] = new JsonObject(),
            ["base_model_name_or_path"] = BaseModel,
            ["bias"] = "none",
            ["fan_in_fan_out"] = FanInFanOut,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["lora_alpha"] = Lora.Alpha,
            ["lora_dropout"] = Lora.Dropout,
            ["modules_to_save"] = ModulesToSave.Count == 0 ? null : new JsonArray(ModulesToSave.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
            ["peft_type"] = "LORA",
            ["r"] = Lora.Rank,
            ["rank_pattern"] = new JsonObject(),
            ["target_modules"] = targets,
            ["task_type"] = TaskType,
            ["use_rslora"] = Lora.UseRsLora,
        };
        File.WriteAllText(path, o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Reads an <c>adapter_config.json</c>.</summary>
    /// <exception cref="InvalidDataException">It is not a LoRA config or a required field is missing or malformed.</exception>
    public static PeftAdapterConfig Load(string path)
    {
        try
        {
            var o = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"Adapter config '{path}' must be a JSON object.");
            var peftType = o["peft_type"]?.GetValue<string>();
            if (peftType != "LORA")
            {
                throw new InvalidDataException($"Adapter config '{path}' has peft_type '{peftType}'; only 'LORA' is supported.");
            }

            if (o["bias"]?.GetValue<string>() is { } bias && bias != "none")
            {
                throw new InvalidDataException($"Adapter config '{path}' has bias '{bias}'; only 'none' is supported.");
            }

            var targetsNode = o["target_modules"] ?? throw new InvalidDataException($"Adapter config '{path}' has no 'target_modules'.");
            IReadOnlyList<string> targets = targetsNode is JsonArray array
                ? array.Select(t => t!.GetValue<string>()).ToArray()
                : [targetsNode.GetValue<string>()];
            return new PeftAdapterConfig
            {
                Lora = new LoraOptions
                {
                    Rank = (int)Number(o, "r", path),
                    Alpha = Number(o, "lora_alpha", path),
                    Dropout = o["lora_dropout"] is null ? 0 : Number(o, "lora_dropout", path),
                    TargetModules = targets,
                    UseRsLora = o["use_rslora"]?.GetValue<bool>() ?? false,
                },
                TaskType = o["task_type"]?.GetValue<string>() ?? "CAUSAL_LM",
                BaseModel = o["base_model_name_or_path"]?.GetValue<string>() ?? "",
                ModulesToSave = o["modules_to_save"] is JsonArray m ? m.Select(x => x!.GetValue<string>()).ToArray() : [],
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Adapter config '{path}' is malformed: {e.Message}", e);
        }
    }

    private static double Number(JsonObject o, string key, string path) =>
        o[key] is { } n
            ? n.GetValue<JsonElement>().GetDouble()
            : throw new InvalidDataException($"Adapter config '{path}' has no '{key}'.");
}
