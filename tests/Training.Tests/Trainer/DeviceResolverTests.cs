using Microsoft.Extensions.Logging;
using NUnit.Framework;
using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

public class DeviceResolverTests
{
    [Test]
    public void Auto_falls_back_to_cpu_and_says_why_when_cuda_is_unavailable()
    {
        if (cuda_is_available())
        {
            Assert.Ignore("This machine has CUDA; the fallback cannot be observed.");
        }

        var logger = new ListLogger();
        var device = DeviceResolver.Resolve(ComputeDevice.Auto, logger);
        Assert.That(device.type, Is.EqualTo(DeviceType.CPU));
        Assert.That(logger.Lines, Has.One.Contains("CUDA is not available").And.Contains("training on cpu"));
    }

    [Test]
    public void Asking_for_cuda_without_cuda_is_a_clear_error()
    {
        if (cuda_is_available())
        {
            Assert.Ignore("This machine has CUDA.");
        }

        var e = Assert.Throws<ArgumentException>(() => DeviceResolver.Resolve(ComputeDevice.Cuda, new ListLogger()));
        Assert.That(e!.Message, Does.Contain("'device' is cuda but CUDA is not available"));
    }

    [Test]
    public void Cpu_is_used_when_asked_for()
    {
        Assert.That(DeviceResolver.Resolve(ComputeDevice.Cpu, new ListLogger()).type, Is.EqualTo(DeviceType.CPU));
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
