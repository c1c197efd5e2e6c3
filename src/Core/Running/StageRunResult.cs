using Pipelines.Core.Caching;
using System.Text.Json.Nodes;

namespace Pipelines.Core.Running;

/// <summary>What an executor returns: the outputs' hashes (already in the store) and the stage's key figures and declared metrics.</summary>
public sealed record StageRunResult(IReadOnlyDictionary<string, OutputRecord> Outputs, JsonObject Summary, double Seconds)
{
    /// <summary>The metrics the stage declared (<c>StageContext.DeclareMetric</c>).</summary>
    public IReadOnlyList<StageMetric> Metrics { get; init; } = [];
}
