using Pipelines.Core;
using Pipelines.Stages.Bias;
using Pipelines.Stages.Dedup;
using Pipelines.Stages.Ingest;
using Pipelines.Stages.Split;
using Pipelines.Stages.Template;
using Pipelines.Stages.Tune;
using Pipelines.Stages.Validate;

namespace Pipelines.Stages;

/// <summary>The built-in data stages of this part: ingest, validate, split, dedup, bias, tune, template.</summary>
public static class StagesCatalog
{
    /// <summary>One new instance of each stage kind.</summary>
    public static IEnumerable<IStage> All() => [new IngestStage(), new ValidateStage(), new SplitStage(), new DedupStage(), new BiasStage(), new TuneStage(), new TemplateStage()];
}
