using Microsoft.Extensions.Logging;
using Pipelines.Core;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>Turns the requested <see cref="ComputeDevice"/> into a TorchSharp device, falling back to CPU for <c>auto</c>.</summary>
public static class DeviceResolver
{
    /// <summary>The device to use. <c>auto</c> picks CUDA when LibTorch reports it and says which it chose.</summary>
    /// <exception cref="ArgumentException">CUDA was asked for but is not available.</exception>
    public static Device Resolve(ComputeDevice requested, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var cuda = cuda_is_available();
        switch (requested)
        {
            case ComputeDevice.Cpu:
                return CPU;
            case ComputeDevice.Cuda when !cuda:
                throw new ArgumentException("'device' is cuda but CUDA is not available (torch.cuda.is_available() is false; this build ships the CPU LibTorch). Use device: auto or cpu.");
            case ComputeDevice.Cuda:
                return CUDA;
            default:
                if (cuda)
                {
                    logger.LogInformation("Device auto: CUDA is available, training on cuda.");
                    return CUDA;
                }

                logger.LogInformation("Device auto: CUDA is not available (torch.cuda.is_available() is false), training on cpu.");
                return CPU;
        }
    }
}
