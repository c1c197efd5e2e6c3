namespace Pipelines.Core;

/// <summary>The device a user asked stages to compute on.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA when available, else CPU (stages say which they chose).</summary>
    Auto,
    /// <summary>CPU only.</summary>
    Cpu,
    /// <summary>CUDA; stages fail with a clear message when no CUDA runtime is installed.</summary>
    Cuda,
}
