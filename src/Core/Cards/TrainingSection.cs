namespace Pipelines.Core.Cards;

/// <summary>How the target was trained: base model, data, method and LoRA settings, and its trainable share.</summary>
internal sealed class TrainingSection : ICardSection
{
    private static readonly string[] Settings =
        ["task", "method", "learning_rate", "max_steps", "epochs", "batch_size", "max_length", "warmup_steps", "weight_decay",
         "lora.r", "lora.alpha", "lora.dropout", "lora.target_modules", "lora.use_rslora", "merge", "threads"];

    public Task<CardSection?> DescribeAsync(CardLineage lineage, CancellationToken cancellationToken)
    {
        var target = lineage.Target;
        var facts = new List<CardFact>
        {
            new("stage", $"{target.Id} ({target.Kind} version {target.Locked.Version}, fingerprint {target.Locked.Fingerprint}, seed {target.Locked.Seed})"),
            new("base model", BaseModelOrigin.Of(lineage, target).Description),
            new("training data", $"{target.InputFrom("train") ?? "-"}: {CardFormat.Of(target.Summary["rows_in"])} rows"),
        };
        if (target.InputFrom("validation") is { } validation) facts.Add(new CardFact("validation data", validation));
        double? trainable = target.Figure("trainable_parameters");
        if (trainable is { } t)
            facts.Add(new CardFact("trainable parameters", $"{CardFormat.Count((long)t)} ({CardFormat.Share(target.Figure("trainable_share") ?? 0)} of the model)"));
        foreach (var key in new[] { "steps", "final_loss", "val_loss", "val_accuracy" })
            if (target.Summary.ContainsKey(key)) facts.Add(new CardFact(key.Replace('_', ' '), CardFormat.Of(target.Summary[key])));
        foreach (var (name, output) in target.Locked.Outputs)
            facts.Add(new CardFact($"output {name}", $"{output.Path} (content hash {output.Hash})"));
        var settings = Settings.Where(k => target.Param(k) is not null).Select(k => (IReadOnlyList<string>)[k, target.Param(k)!]).ToList();
        return Task.FromResult<CardSection?>(new CardSection("Training", facts, [new CardTable("Training configuration (from pipelines.lock)", ["option", "value"], settings)]));
    }
}
