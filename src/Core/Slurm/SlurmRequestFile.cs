using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Core.Internal;
using Pipelines.Core.Running;

namespace Pipelines.Core.Slurm;

/// <summary>
/// A <see cref="StageRunRequest"/> on disk for a worker: the request itself, with the stage id (which the request's
/// own JSON leaves out, being no part of the fingerprint), the device and the fingerprint the worker checks it against.
/// </summary>
public static class SlurmRequestFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="request"/> to <paramref name="path"/> (temp file and rename).</summary>
    public static void Write(string path, StageRunRequest request, ComputeDevice device)
    {
        var document = new JsonObject
        {
            ["stage_id"] = request.StageId,
            ["fingerprint"] = request.Fingerprint(),
            ["device"] = device.ToString(),
            ["request"] = Body(request),
        };
        string temp = SiblingTemp.For(path);
        File.WriteAllText(temp, document.ToJsonString(Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The request's fields by hand: its stage id is required yet JSON-ignored, which the serialiser refuses either way.</summary>
    private static JsonObject Body(StageRunRequest request) => new()
    {
        ["kind"] = request.Kind,
        ["version"] = request.Version,
        ["options"] = request.Options.DeepClone(),
        ["seed"] = request.Seed,
        ["inputs"] = JsonSerializer.SerializeToNode(request.Inputs, Json),
        ["outputs"] = JsonSerializer.SerializeToNode(request.Outputs, Json),
        ["libraries"] = JsonSerializer.SerializeToNode(request.Libraries, Json),
    };

    /// <summary>Reads a request written by <see cref="Write"/>; a request whose fingerprint no longer matches is refused.</summary>
    public static (StageRunRequest Request, ComputeDevice Device) Read(string path)
    {
        var document = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a stage request.");
        var body = document["request"] as JsonObject ?? throw new InvalidDataException($"{path}: no 'request'.");
        var request = new StageRunRequest
        {
            StageId = (string?)document["stage_id"] ?? throw new InvalidDataException($"{path}: no 'stage_id'."),
            Kind = (string?)body["kind"] ?? throw new InvalidDataException($"{path}: no 'kind'."),
            Version = (string?)body["version"] ?? "1",
            Options = (JsonObject?)body["options"]?.DeepClone() ?? new JsonObject(),
            Seed = (long?)body["seed"] ?? 0,
            Inputs = body["inputs"].Deserialize<SortedDictionary<string, RequestInput>>(Json) ?? [],
            Outputs = body["outputs"].Deserialize<string[]>(Json) ?? [],
            Libraries = body["libraries"].Deserialize<SortedDictionary<string, string>>(Json) ?? [],
        };
        string expected = (string?)document["fingerprint"] ?? "";
        if (request.Fingerprint() != expected)
            throw new InvalidDataException($"{path}: the request's fingerprint is {request.Fingerprint()[..8]}, not the {expected[..Math.Min(8, expected.Length)]} it was written with.");
        var device = Enum.TryParse<ComputeDevice>((string?)document["device"], out var d) ? d : ComputeDevice.Auto;
        return (request, device);
    }
}
