using Pipelines.Core;

namespace Pipelines.Eval;

/// <summary>The stages this part registers: <c>eval</c>.</summary>
public static class EvalStageCatalog
{
    /// <summary>New instances of every stage kind in this part.</summary>
    public static IEnumerable<IStage> All() => [new EvalStage()];
}
