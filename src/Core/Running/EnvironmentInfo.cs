using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Pipelines.Core.Running;

/// <summary>What a result depends on besides its inputs: tool version and commit, runtime, OS, CPU (ARCHITECTURE §10).</summary>
public static class EnvironmentInfo
{
    /// <summary>The environment as a JSON object for run logs.</summary>
    public static JsonObject Capture(string device)
    {
        var assembly = typeof(EnvironmentInfo).Assembly;
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        int plus = version.IndexOf('+');
        return new JsonObject
        {
            ["tool_version"] = plus >= 0 ? version[..plus] : version,
            ["tool_commit"] = plus >= 0 ? version[(plus + 1)..] : "unknown",
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.ProcessArchitecture.ToString(),
            ["cpu_model"] = CpuModel(),
            ["cpu_count"] = System.Environment.ProcessorCount,
            ["device"] = device,
            ["machine"] = System.Environment.MachineName,
        };
    }

    private static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
