namespace Pipelines.Training;

/// <summary>Element types this reader and writer support (the names are the ones safetensors headers use).</summary>
public enum SafetensorsDType
{
    /// <summary>32-bit IEEE float.</summary>
    F32,

    /// <summary>16-bit IEEE float.</summary>
    F16,

    /// <summary>bfloat16: the upper 16 bits of a 32-bit float.</summary>
    BF16,
}
