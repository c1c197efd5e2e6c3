using Pipelines.Core;

namespace Pipelines.Synthetic;

/// <summary>The stages of this library, for the CLI's stage registry.</summary>
public static class SyntheticStageCatalog
{
    /// <summary>The <c>synthesize</c> stage with the default synthesis methods.</summary>
    public static IEnumerable<IStage> All() => [new SynthesizeStage()];
}
