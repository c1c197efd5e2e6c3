using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Cli.Console;

/// <summary>
/// Writes a verb's <c>--json</c> answer to stdout: one indented document and nothing else, so a CI script can
/// parse stdout whole (messages and errors go to stderr).
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(JsonNode document) => System.Console.Out.WriteLine(document.ToJsonString(Indented));

    /// <summary>A number, or null where JSON cannot hold it (NaN).</summary>
    public static JsonNode? Number(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;
}
