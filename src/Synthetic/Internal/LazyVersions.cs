using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Pipelines.Synthetic;

/// <summary>
/// Library versions read on first use: the registry is built at every start, and reading TorchSharp's and ONNX
/// Runtime's versions loads their assemblies and parses the deps file, which a run without those methods never needs.
/// </summary>
internal sealed class LazyVersions(Func<IReadOnlyDictionary<string, string>> read) : IReadOnlyDictionary<string, string>
{
    private readonly Lazy<IReadOnlyDictionary<string, string>> _versions = new(read);

    public string this[string key] => _versions.Value[key];

    public IEnumerable<string> Keys => _versions.Value.Keys;

    public IEnumerable<string> Values => _versions.Value.Values;

    public int Count => _versions.Value.Count;

    public bool ContainsKey(string key) => _versions.Value.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => _versions.Value.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _versions.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
