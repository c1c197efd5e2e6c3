using Pipelines.Core.Definition;

namespace Pipelines.Core.Running;

/// <summary>A validated pipeline: its stages in a topological order.</summary>
public sealed class PipelinePlan
{
    internal PipelinePlan(PipelineDefinition definition, IReadOnlyList<PlannedStage> stages)
    {
        Definition = definition;
        Stages = stages;
        ById = stages.ToDictionary(s => s.Id, StringComparer.Ordinal);
    }

    /// <summary>The definition planned.</summary>
    public PipelineDefinition Definition { get; }

    /// <summary>Stages, parents before children (ties in declaration order).</summary>
    public IReadOnlyList<PlannedStage> Stages { get; }

    /// <summary>Stages by id.</summary>
    public IReadOnlyDictionary<string, PlannedStage> ById { get; }

    /// <summary>The stage and every stage downstream of it.</summary>
    public IReadOnlySet<string> Downstream(string stageId)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([stageId]);
        while (queue.TryDequeue(out var id))
            if (result.Add(id))
                foreach (var child in ById[id].Children) queue.Enqueue(child);
        return result;
    }
}
