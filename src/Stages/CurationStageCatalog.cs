using Pipelines.Core;
using Pipelines.Stages.Bias;
using Pipelines.Stages.Dedup;

namespace Pipelines.Stages;

/// <summary>The data-curation stages: <c>dedup</c> and <c>bias</c>.</summary>
public static class CurationStageCatalog
{
    /// <summary>One instance of each curation stage kind.</summary>
    public static IEnumerable<IStage> All() => [new DedupStage(), new BiasStage()];
}
