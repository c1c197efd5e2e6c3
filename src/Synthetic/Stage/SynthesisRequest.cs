using Microsoft.Extensions.Logging;
using Pipelines.Core;

namespace Pipelines.Synthetic;

/// <summary>What a <see cref="ISynthesisMethod"/> gets from the <c>synthesize</c> stage.</summary>
/// <param name="Table">The real table (without a <c>_source</c> column).</param>
/// <param name="Options">The stage options.</param>
/// <param name="Seed">The stage's deterministic seed.</param>
/// <param name="ModelDirectory">An existing empty directory for the fitted model (the <c>model</c> output).</param>
/// <param name="GeneratorPath">Path of the optional <c>generator</c> input (e.g. a pretrained ONNX language model directory), or null.</param>
/// <param name="Logger">Stage logger.</param>
/// <param name="Progress">Stage progress.</param>
public sealed record SynthesisRequest(
    ColumnTable Table,
    SynthesizeOptions Options,
    long Seed,
    string ModelDirectory,
    string? GeneratorPath,
    ILogger Logger,
    IProgress<StageProgress> Progress)
{
    /// <summary>The relations every generated row must obey (tabular methods keep them).</summary>
    public DataRules Rules { get; init; } = DataRules.None;
}
