using System.Collections.Concurrent;
using System.Collections.Immutable;
using NUnit.Framework;
using Pipelines.Training.Packaged;
using Pipelines.Training.Packaged.Internal;

namespace Pipelines.Training.Tests.Packaged;

/// <summary>
/// Imports each packaged model once per test run into a temp directory (the 90 MB weights stay out of git) and
/// deletes it afterwards; also hands out the original ONNX bytes for the ONNX Runtime reference.
/// </summary>
[SetUpFixture]
public sealed class PackagedModelCache
{
    public const string MiniLm = "all-MiniLM-L6-v2";
    public const string ArcticXs = "snowflake-arctic-embed-xs";

    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"packaged-models-{Environment.ProcessId}");
    private static readonly ConcurrentDictionary<string, Lazy<string>> Directories = new();

    /// <summary>The imported HF directory of <paramref name="name"/>.</summary>
    public static string Directory(string name) => Directories.GetOrAdd(name, n => new Lazy<string>(
        () => PackagedModels.ImportAsync(n, Path.Combine(Root, n)).GetAwaiter().GetResult())).Value;

    /// <summary>The package's ONNX graph, as shipped.</summary>
    public static byte[] OnnxBytes(string name)
    {
        var model = PackagedModels.Find(name);
        var assembly = ImmutableArray.Create(File.ReadAllBytes(PackagedModels.LocateAssembly(model)));
        return ManifestResources.Read(assembly, model.OnnxResource);
    }

    [OneTimeTearDown]
    public void DeleteImports()
    {
        if (System.IO.Directory.Exists(Root))
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
    }
}
