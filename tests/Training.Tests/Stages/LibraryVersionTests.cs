using System.Xml.Linq;
using NUnit.Framework;
using Pipelines.Training;

namespace Pipelines.Training.Tests.Stages;

/// <summary>Issue 13, defect 9: fingerprints carry the versions of the libraries actually loaded, not hand-typed ones.</summary>
public class LibraryVersionTests
{
    /// <summary>The versions the build restores, read from the repository's central package file (an independent source).</summary>
    private static Dictionary<string, string> CentralVersions()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) dir = dir.Parent;
        var props = XDocument.Load(Path.Combine(dir!.FullName, "Directory.Packages.props"));
        return props.Descendants("PackageVersion").ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
    }

    [Test]
    public void Training_stages_report_the_restored_versions_of_TorchSharp_LibTorch_the_tokenizers_and_Parquet()
    {
        var central = CentralVersions();
        Assert.That(TrainingLibraries.Versions, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["TorchSharp"] = central["TorchSharp"],
            ["LibTorch"] = central["libtorch-cpu-linux-x64"],
            ["Microsoft.ML.Tokenizers"] = central["Microsoft.ML.Tokenizers"],
            ["Parquet.Net"] = central["Parquet.Net"],
        }));
    }

    [Test]
    public void Every_stage_depends_on_the_loaded_Parquet_library()
    {
        var central = CentralVersions();
        Assert.That(new TrainStage().LibraryVersions["Parquet.Net"], Is.EqualTo(central["Parquet.Net"]));
        Assert.That(Pipelines.Core.LibraryVersion.Of(typeof(Parquet.ParquetWriter)), Is.EqualTo(central["Parquet.Net"]));
    }
}
