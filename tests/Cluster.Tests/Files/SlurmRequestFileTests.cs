using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Running;
using Pipelines.Core.Slurm;

namespace Pipelines.Cluster.Tests.Files;

/// <summary>The files a driver and a worker exchange: a request read back is the request written; an answer too.</summary>
public sealed class SlurmRequestFileTests
{
    private static readonly StageRunRequest Request = new()
    {
        StageId = "dedup",
        Kind = "dedup",
        Version = "3",
        Options = new JsonObject { ["mode"] = "near", ["threshold"] = 0.8, ["columns"] = new JsonArray("text") },
        Seed = 42,
        Inputs = new Dictionary<string, RequestInput> { ["table"] = new("0123456789abcdef0123456789abcdef", ArtifactKind.Table, null) },
        Outputs = ["table", "report"],
        Libraries = new Dictionary<string, string> { ["Parquet.Net"] = "5.0.0" },
    };

    [Test]
    public void A_request_read_back_has_the_stage_id_device_and_fingerprint_it_was_written_with()
    {
        string path = Path.Combine(Path.GetTempPath(), $"request-{Guid.NewGuid():N}.json");
        try
        {
            SlurmRequestFile.Write(path, Request, ComputeDevice.Cpu);
            var (read, device) = SlurmRequestFile.Read(path);
            Assert.That(read.StageId, Is.EqualTo("dedup"));
            Assert.That(device, Is.EqualTo(ComputeDevice.Cpu));
            Assert.That(read.Fingerprint(), Is.EqualTo(Request.Fingerprint()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_request_changed_after_it_was_written_is_refused()
    {
        string path = Path.Combine(Path.GetTempPath(), $"request-{Guid.NewGuid():N}.json");
        try
        {
            SlurmRequestFile.Write(path, Request, ComputeDevice.Auto);
            File.WriteAllText(path, File.ReadAllText(path).Replace("\"seed\": 42", "\"seed\": 43", StringComparison.Ordinal));
            var ex = Assert.Throws<InvalidDataException>(() => SlurmRequestFile.Read(path));
            Assert.That(ex!.Message, Does.Contain("fingerprint"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void An_answer_read_back_is_the_answer_written()
    {
        string path = Path.Combine(Path.GetTempPath(), $"answer-{Guid.NewGuid():N}.json");
        try
        {
            var answer = new SlurmAnswer
            {
                JobId = "12", Attempt = 1, Node = "node2", Seconds = 1.5,
                Outputs = new Dictionary<string, OutputRecord> { ["table"] = new() { Hash = "ab", Kind = ArtifactKind.Table, Extension = ".parquet" } },
                Metrics = [new StageMetric("kept", 10, MetricDirection.None)],
                IntermediateValues = [new IntermediateValue(1, 0.5)],
            };
            answer.WriteTo(path);
            var read = SlurmAnswer.TryRead(path)!;
            Assert.That(read.JobId, Is.EqualTo("12"));
            Assert.That(read.Attempt, Is.EqualTo(1));
            Assert.That(read.Outputs["table"], Is.EqualTo(answer.Outputs["table"]));
            Assert.That(read.Metrics.Single().Name, Is.EqualTo("kept"));
            Assert.That(read.IntermediateValues, Is.EqualTo(answer.IntermediateValues));
            Assert.That(SlurmAnswer.TryRead(path + ".missing"), Is.Null);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
