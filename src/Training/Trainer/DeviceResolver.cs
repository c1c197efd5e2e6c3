using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipelines.Core;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>Turns the requested <see cref="ComputeDevice"/> into a TorchSharp device, falling back to CPU for <c>auto</c>.</summary>
public static class DeviceResolver
{
    /// <summary>
    /// The device for a stage: as <see cref="Resolve(ComputeDevice, ILogger)"/>, but a tuning trial logs the choice only
    /// when it is the search's first to say it (every trial picks the same device).
    /// </summary>
    public static Device Resolve(StageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        bool quiet = context.Reporter is { } trial && !trial.IsFirstToSay("device");
        return Resolve(context.Device, quiet ? NullLogger.Instance : context.Logger);
    }

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
