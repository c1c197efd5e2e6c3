using Pipelines.Core.Caching;

namespace Pipelines.Core.Running;

/// <summary>Passes a trial's intermediate values on and keeps them, so the run cache can replay them for a restored trial.</summary>
internal sealed class RecordingReporter(IIntermediateReporter inner) : IIntermediateReporter
{
    private readonly List<IntermediateValue> _values = [];

    /// <summary>The values reported so far, in order.</summary>
    public IReadOnlyList<IntermediateValue> Values
    {
        get
        {
            lock (_values) return _values.ToArray();
        }
    }

    public void Report(double value, int step)
    {
        lock (_values) _values.Add(new IntermediateValue(step, value));
        inner.Report(value, step);
    }

    public bool ShouldPrune() => inner.ShouldPrune();

    public bool IsFirstToSay(string topic) => inner.IsFirstToSay(topic);

    /// <summary>Gives <paramref name="reporter"/> the values a trial reported when it was computed.</summary>
    public static void Replay(IReadOnlyList<IntermediateValue> values, IIntermediateReporter reporter)
    {
        foreach (var recorded in values) reporter.Report(recorded.Value, recorded.Step);
    }
}
