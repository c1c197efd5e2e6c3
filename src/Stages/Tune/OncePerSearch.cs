using System.Collections.Concurrent;

namespace Pipelines.Stages.Tune;

/// <summary>The topics some trial of one search has already logged (the device line), shared by its trials.</summary>
internal sealed class OncePerSearch
{
    private readonly ConcurrentDictionary<string, bool> _said = new(StringComparer.Ordinal);

    /// <summary>True the first time <paramref name="topic"/> is claimed, false after (also across parallel trials).</summary>
    public bool Claim(string topic) => _said.TryAdd(topic, true);
}
