namespace Pipelines.Core;

/// <summary>What an artifact is on disk.</summary>
public enum ArtifactKind
{
    /// <summary>One Parquet file.</summary>
    Table,
    /// <summary>A directory: weights (safetensors / ONNX) and a JSON sidecar.</summary>
    Model,
    /// <summary>A directory: <c>report.html</c> and <c>report.json</c>.</summary>
    Report,
    /// <summary>One file of any format.</summary>
    File,
}
