namespace Pipelines.Synthetic;

/// <summary>Loads any saved synthesizer by the method recorded in its <c>synthesizer.json</c>.</summary>
public static class SynthesizerStore
{
    /// <summary>Loads the synthesizer saved in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The directory holds no model or one of an unknown method.</exception>
    public static ISynthesizer Load(string directory)
    {
        string method = SynthesizerManifest.ReadMethod(directory);
        return method switch
        {
            GaussianCopulaSynthesizer.MethodName => GaussianCopulaSynthesizer.Load(directory),
            TvaeSynthesizer.MethodName => TvaeSynthesizer.Load(directory),
            BayesNetSynthesizer.MethodName => BayesNetSynthesizer.Load(directory),
            _ => throw new InvalidDataException($"'{directory}' holds a '{method}' model, which this library cannot load."),
        };
    }
}
