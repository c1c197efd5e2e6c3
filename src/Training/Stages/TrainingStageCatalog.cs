using Pipelines.Core;
using Pipelines.Training.Embed;

namespace Pipelines.Training;

/// <summary>The stages this part registers: <c>model</c>, <c>pretrain</c>, <c>train</c> and <c>embed</c>.</summary>
public static class TrainingStageCatalog
{
    /// <summary>New instances of every stage kind in this part.</summary>
    public static IEnumerable<IStage> All() => [new ModelStage(), new PretrainStage(), new TrainStage(), new EmbedStage()];
}
