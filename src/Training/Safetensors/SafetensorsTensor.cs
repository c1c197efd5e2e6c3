namespace Pipelines.Training;

/// <summary>A tensor to write: values as floats, stored on disk in <paramref name="DType"/>.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="Shape">Dimensions; their product must equal <c>Data.Length</c>.</param>
/// <param name="Data">Row-major values.</param>
/// <param name="DType">On-disk element type (F32 by default).</param>
public sealed record SafetensorsTensor(string Name, long[] Shape, float[] Data, SafetensorsDType DType = SafetensorsDType.F32);
