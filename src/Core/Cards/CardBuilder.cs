using System.Text.Json.Nodes;
using Pipelines.Core.Caching;

namespace Pipelines.Core.Cards;

/// <summary>Builds the <see cref="Card"/> of a trained stage from a workspace's lock, run cache and artifacts.</summary>
public static class CardBuilder
{
    /// <summary>Builds the card of <paramref name="stage"/> in <paramref name="pipeline"/>.</summary>
    /// <exception cref="UserInputException">The lock has no such pipeline or stage.</exception>
    public static async Task<Card> BuildAsync(Workspace workspace, string pipeline, string stage, CancellationToken cancellationToken = default)
    {
        var lineage = await CardLineage.LoadAsync(workspace, pipeline, stage, cancellationToken).ConfigureAwait(false);
        ICardSection[] model = [new TrainingSection(), new EvaluationSection()];
        ICardSection[] data = [new SourcesSection(), new CleaningSection(), new SplitSection(), new BiasSection(), new SyntheticSection(), new SearchSection(), new EnvironmentSection(workspace)];
        return new Card(pipeline, stage, await HeaderAsync(lineage, cancellationToken).ConfigureAwait(false),
            await DescribeAsync(model, lineage, cancellationToken).ConfigureAwait(false),
            await DescribeAsync(data, lineage, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The trained stages of a pipeline in the lock (<c>train</c> kind), which a card can describe.</summary>
    public static IReadOnlyList<string> TrainedStages(Workspace workspace, string pipeline) =>
        LockFile.Load(workspace.LockFilePath).Stages(pipeline).Where(s => s.Value.Kind == "train").Select(s => s.Key).ToList();

    /// <summary>
    /// The stage a card is about when none is named: the only train stage, or else the only one whose adapter an
    /// eval stage scores as its <c>adapter</c> (the others being what it is compared with); null when that is not one.
    /// </summary>
    public static string? DefaultStage(Workspace workspace, string pipeline)
    {
        var stages = LockFile.Load(workspace.LockFilePath).Stages(pipeline);
        var trained = stages.Where(s => s.Value.Kind == "train").Select(s => s.Key).ToList();
        if (trained.Count == 1) return trained[0];
        var evaluated = stages.Values.Where(s => s.Kind == "eval" && s.Inputs.TryGetValue("adapter", out _))
            .Select(s => s.Inputs["adapter"].Reference.Split('.')[0]).Where(trained.Contains).Distinct(StringComparer.Ordinal).ToList();
        return evaluated.Count == 1 ? evaluated[0] : null;
    }

    private static async Task<IReadOnlyList<CardSection>> DescribeAsync(IEnumerable<ICardSection> sections, CardLineage lineage, CancellationToken cancellationToken)
    {
        var described = new List<CardSection>();
        foreach (var section in sections)
            if (await section.DescribeAsync(lineage, cancellationToken).ConfigureAwait(false) is { } card)
                described.Add(card);
        return described;
    }

    private static async Task<ModelCardHeader> HeaderAsync(CardLineage lineage, CancellationToken cancellationToken)
    {
        var origin = BaseModelOrigin.Of(lineage, lineage.Target);
        var results = new List<(string, string, double)>();
        string? dataset = null;
        if (EvaluationSection.Evaluations(lineage).FirstOrDefault() is { } eval
            && await eval.ReadJsonAsync("report", "report.json", cancellationToken).ConfigureAwait(false) is { } report)
        {
            dataset = $"{eval.InputFrom("data")}, {CardFormat.Of(report["rows"])} rows";
            foreach (var (key, type, name) in new[] { ("accuracy", "accuracy", "accuracy"), ("macro_f1", "f1", "macro-F1"), ("perplexity", "perplexity", "perplexity") })
                if (report[EvaluationSection.TargetKey(lineage, eval)]?[key] is { } value && Number(value) is { } v) results.Add((type, name, v));
        }
        return new ModelCardHeader
        {
            License = origin.License ?? "other",
            BaseModel = origin.HubId,
            Datasets = lineage.OfKind("ingest").Where(lineage.FeedsTarget).Select(i => Path.GetFileName(i.InputFrom("source") ?? i.Id)).Distinct(StringComparer.Ordinal).ToList(),
            TaskType = lineage.Target.Param("task") == "causal_lm" ? "text-generation" : "text-classification",
            EvaluationDataset = dataset,
            Results = results,
        };
    }

    private static double? Number(JsonNode node) => node is JsonValue v && v.TryGetValue(out double d) ? d : null;
}
