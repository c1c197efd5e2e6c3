namespace Pipelines.Synthetic;

/// <summary><c>synthesizer.json</c>: which method wrote a model directory.</summary>
internal sealed class SynthesizerManifest
{
    public const string FileName = "synthesizer.json";

    public string Method { get; set; } = "";

    public string Library { get; set; } = "Pipelines.Synthetic";

    public static void Write(string directory, string method) =>
        SynthesizerJson.Write(Path.Combine(directory, FileName), new SynthesizerManifest { Method = method });

    public static string ReadMethod(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"'{directory}' is not a saved synthesizer: '{FileName}' is missing.");
        }

        return SynthesizerJson.Read<SynthesizerManifest>(path).Method;
    }
}
