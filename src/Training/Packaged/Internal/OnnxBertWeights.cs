namespace Pipelines.Training.Packaged.Internal;

/// <summary>
/// An exported BERT's weights under HF names, which initializer each came from, and the initializers that are not
/// weights (int64 shape constants, the <c>position_ids</c> buffer).
/// </summary>
internal sealed record OnnxBertWeights(
    IReadOnlyList<SafetensorsTensor> Parameters,
    IReadOnlyDictionary<string, string> SourceToName,
    IReadOnlyList<string> Constants);
