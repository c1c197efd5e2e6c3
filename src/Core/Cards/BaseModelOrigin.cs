namespace Pipelines.Core.Cards;

/// <summary>Where a trained stage's base model came from: a packaged pretrained model, a model trained here, or a directory.</summary>
/// <param name="Description">One line for the card.</param>
/// <param name="HubId">The Hub id a model card names as <c>base_model</c>, when known.</param>
/// <param name="License">The base model's licence, when known.</param>
internal sealed record BaseModelOrigin(string Description, string? HubId, string? License)
{
    public static BaseModelOrigin Of(CardLineage lineage, LineageStage trained)
    {
        var input = trained.Locked.Inputs.GetValueOrDefault("base_model");
        if (input.Reference is null) return new BaseModelOrigin("not recorded", null, null);
        var producer = lineage.Producer(input.Reference);
        if (producer is null) return new BaseModelOrigin($"the directory {input.Reference} (content hash {input.Hash})", null, null);
        string? hub = producer.Summary["base_model"]?.GetValue<string>();
        string? license = producer.Summary["license"]?.GetValue<string>();
        return producer.Kind switch
        {
            "model" => new BaseModelOrigin($"{hub ?? producer.Param("source")} ({producer.Param("source")}, {producer.Summary["package"]?.GetValue<string>() ?? "package"}; stage '{producer.Id}')", hub, license),
            "pretrain" => new BaseModelOrigin($"trained from scratch here by stage '{producer.Id}' on {producer.InputFrom("corpus") ?? "its corpus"}: " +
                $"{CardFormat.Of(producer.Summary["parameters"])} parameters, {producer.Param("n_layer") ?? "?"} layers × {producer.Param("n_embd") ?? "?"}, " +
                $"{CardFormat.Of(producer.Summary["steps"])} steps, validation loss {CardFormat.Of(producer.Summary["val_loss"])}", null, null),
            _ => new BaseModelOrigin($"{input.Reference} (stage kind {producer.Kind})", hub, license),
        };
    }
}
