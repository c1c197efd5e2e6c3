namespace Pipelines.Synthetic;

/// <summary>
/// The methods the <c>synthesize</c> stage knows, by name. <see cref="CreateDefault"/> holds this
/// library's tabular synthesizers; other generators (the ONNX text generator, <c>text-lm</c>) are
/// added with <see cref="Add"/>.
/// </summary>
public sealed class SynthesisMethodRegistry
{
    private readonly SortedDictionary<string, ISynthesisMethod> _methods = new(StringComparer.Ordinal);

    /// <summary>The registered method names, sorted.</summary>
    public IReadOnlyList<string> Names => _methods.Keys.ToArray();

    /// <summary>A registry with this library's methods: <c>copula</c>, <c>tvae</c>, <c>bayesnet</c> and <c>text-lm</c>.</summary>
    public static SynthesisMethodRegistry CreateDefault()
    {
        var registry = new SynthesisMethodRegistry();
        registry.Add(new TabularSynthesisMethod(
            GaussianCopulaSynthesizer.MethodName,
            o => new GaussianCopulaSynthesizer(o.Copula),
            o => o.Copula is null ? [] : new GaussianCopulaOptionsValidator().Validate(o.Copula).Errors.Select(e => "copula: " + e.ErrorMessage),
            SynthesisLibraries.Copula));
        registry.Add(new TabularSynthesisMethod(
            TvaeSynthesizer.MethodName,
            o => new TvaeSynthesizer(o.Tvae),
            o => o.Tvae is null ? [] : new TvaeOptionsValidator().Validate(o.Tvae).Errors.Select(e => "tvae: " + e.ErrorMessage),
            SynthesisLibraries.Neural));
        registry.Add(new TabularSynthesisMethod(
            BayesNetSynthesizer.MethodName,
            o => new BayesNetSynthesizer(o.Bayesnet),
            o => o.Bayesnet is null ? [] : new BayesNetOptionsValidator().Validate(o.Bayesnet).Errors.Select(e => "bayesnet: " + e.ErrorMessage),
            SynthesisLibraries.Network));
        registry.Add(new Text.TextLmSynthesisMethod());
        return registry;
    }

    /// <summary>Adds a method; a second method of the same name is a programming error.</summary>
    public SynthesisMethodRegistry Add(ISynthesisMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!_methods.TryAdd(method.Name, method))
        {
            throw new InvalidOperationException($"Synthesis method '{method.Name}' is registered twice.");
        }

        return this;
    }

    /// <summary>The named method, or null.</summary>
    public ISynthesisMethod? Find(string name) => _methods.GetValueOrDefault(name);
}
