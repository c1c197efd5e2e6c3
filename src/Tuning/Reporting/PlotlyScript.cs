using System.Reflection;

namespace Pipelines.Tuning.Internal;

/// <summary>The plotly.js bundle embedded in the Plotly.NET package (MIT licence), read once.</summary>
internal static class PlotlyScript
{
    private static readonly Lazy<(string Script, string License)> Bundle = new(Load);

    public static string Script => Bundle.Value.Script;

    public static string License => Bundle.Value.License;

    private static (string, string) Load()
    {
        Assembly asm = typeof(Plotly.NET.Chart).Assembly;
        string[] names = asm.GetManifestResourceNames();
        string js = names.FirstOrDefault(n => n.EndsWith(".min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("plotly.js was not found in the Plotly.NET assembly.");
        string? lic = names.FirstOrDefault(n => n.EndsWith(".LICENSE.txt", StringComparison.Ordinal));
        return (Read(asm, js).Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase), lic is null ? "plotly.js, MIT licence" : Read(asm, lic));
    }

    private static string Read(Assembly asm, string name)
    {
        using var stream = asm.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
