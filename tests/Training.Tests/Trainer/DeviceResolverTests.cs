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

    [Test]
    public void An_ordinary_run_says_its_device_and_a_search_says_it_for_its_first_trial_only()
    {
        var logger = new ListLogger();
        DeviceResolver.Resolve(Context(logger, reporter: null));
        Assert.That(logger.Lines.Count(l => l.StartsWith("Device auto", StringComparison.Ordinal)), Is.EqualTo(1), "a train run outside a search");

        var search = new SearchOfTrials();
        var trials = new ListLogger();
        for (int trial = 0; trial < 4; trial++)
        {
            DeviceResolver.Resolve(Context(trials, search));
        }

        Assert.That(trials.Lines.Count(l => l.StartsWith("Device auto", StringComparison.Ordinal)), Is.EqualTo(1), "four trials, one line");
    }

    private static StageContext Context(ILogger logger, IIntermediateReporter? reporter) => new(new StageContextArgs
    {
        StageId = "train", Options = new object(), Inputs = new Dictionary<string, StageInput>(), OutputPaths = new Dictionary<string, string>(),
        ScratchDirectory = Path.GetTempPath(), Logger = logger, Device = ComputeDevice.Auto, Reporter = reporter,
    });

    /// <summary>The trials of one search: the first to ask about a topic gets to say it, as the tune stage's reporter does.</summary>
    private sealed class SearchOfTrials : IIntermediateReporter
    {
        private readonly HashSet<string> _said = [];

        public void Report(double value, int step) { }

        public bool ShouldPrune() => false;

        public bool IsFirstToSay(string topic) => _said.Add(topic);
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
