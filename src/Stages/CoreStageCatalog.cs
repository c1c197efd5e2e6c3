using Pipelines.Core;
using Pipelines.Stages.Ingest;
using Pipelines.Stages.Split;
using Pipelines.Stages.Validate;

namespace Pipelines.Stages;

/// <summary>The data-preparation stages of this part: ingest, validate, split.</summary>
public static class CoreStageCatalog
{
    /// <summary>New instances of every stage.</summary>
    public static IEnumerable<IStage> All() => [new IngestStage(), new ValidateStage(), new SplitStage()];
}
