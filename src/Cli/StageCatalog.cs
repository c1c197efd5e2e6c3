using Pipelines.Core;
using Pipelines.Stages;

namespace Pipelines.Cli;

/// <summary>Every built-in stage kind, from every part.</summary>
public static class StageCatalog
{
    /// <summary>A registry holding all built-in stages.</summary>
    public static StageRegistry CreateRegistry() => new StageRegistry()
        .AddRange(StagesCatalog.All())
        .AddRange(Pipelines.Synthetic.SyntheticStageCatalog.All())
        .AddRange(Pipelines.Training.TrainingStageCatalog.All())
        .AddRange(Pipelines.Eval.EvalStageCatalog.All());
}
