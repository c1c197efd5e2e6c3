using System.Text.Json.Nodes;

namespace Pipelines.Core;

/// <summary>Runs another stage kind from inside a stage, cached by fingerprint like any stage.</summary>
public interface IStageInvoker
{
    /// <summary>
    /// Runs <paramref name="kind"/> with <paramref name="with"/> as its options. <paramref name="inputs"/> maps
    /// the nested stage's input names to input names of the calling stage. <paramref name="label"/> names the
    /// run in logs (<c>trial 7</c>).
    /// </summary>
    Task<StageInvocationResult> InvokeAsync(string kind, JsonObject with, IReadOnlyDictionary<string, string> inputs,
        string label, IIntermediateReporter? reporter, CancellationToken cancellationToken);
}
