using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Pipelines.Core;

/// <summary>
/// Versions of the libraries a stage's results depend on, read from what is actually loaded rather than typed by
/// hand, so an upgrade changes the fingerprints of exactly the stages that use the library.
/// </summary>
public static class LibraryVersion
{
    // The deps file is large: parsed once per prefix and process.
    private static readonly ConcurrentDictionary<string, string?> PackagesByPrefix = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The version of the assembly that defines <paramref name="type"/>: its informational version without build metadata.</summary>
    public static string Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var assembly = type.Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is not null)
        {
            int plus = informational.IndexOf('+');
            return plus >= 0 ? informational[..plus] : informational;
        }
        return assembly.GetName().Version?.ToString() ?? "unknown";
    }

    /// <summary>
    /// The version of a native package the application was built with (e.g. <c>libtorch-</c> for LibTorch, whose
    /// package name names the platform): the first library in the application's <c>.deps.json</c> whose id starts
    /// with <paramref name="idPrefix"/>, or null when there is none.
    /// </summary>
    public static string? OfPackage(string idPrefix)
    {
        ArgumentNullException.ThrowIfNull(idPrefix);
        return PackagesByPrefix.GetOrAdd(idPrefix, ReadPackage);
    }

    private static string? ReadPackage(string idPrefix)
    {
        foreach (string depsFile in DepsFiles())
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(depsFile));
                if (!document.RootElement.TryGetProperty("libraries", out var libraries)) continue;
                var match = libraries.EnumerateObject().Select(l => l.Name).Where(n => n.StartsWith(idPrefix, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault();
                if (match is not null) return match[(match.IndexOf('/') + 1)..];
            }
            catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
            {
                // an unreadable deps file says nothing; try the next
            }
        }
        return null;
    }

    /// <summary>The host's deps files, then any beside the application (a test host's own list omits the tests').</summary>
    private static IEnumerable<string> DepsFiles() =>
        (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.deps.json").Order(StringComparer.Ordinal))
            .Where(File.Exists).Distinct(StringComparer.Ordinal);
}
