using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Pipelines.Training.Packaged.Internal;

/// <summary>
/// Reads embedded manifest resources straight from an assembly file's metadata, so a package that only ships data
/// is never loaded or run (its code and dependencies play no part).
/// </summary>
internal static class ManifestResources
{
    /// <summary>The bytes of the embedded resource <paramref name="name"/> in an assembly image.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an assembly or it has no such embedded resource.</exception>
    public static byte[] Read(ImmutableArray<byte> assembly, string name)
    {
        using var pe = new PEReader(assembly);
        if (!pe.HasMetadata || pe.PEHeaders.CorHeader is not { } cor)
        {
            throw new InvalidDataException("The file is not a .NET assembly.");
        }

        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || metadata.GetString(resource.Name) != name)
            {
                continue;
            }

            // Embedded resources lie in the CLI resources directory, each as a 4-byte length then the bytes.
            var section = pe.GetSectionData(cor.ResourcesDirectory.RelativeVirtualAddress);
            var reader = section.GetReader((int)resource.Offset, section.Length - (int)resource.Offset);
            var length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }

        var names = metadata.ManifestResources.Select(h => metadata.GetString(metadata.GetManifestResource(h).Name));
        throw new InvalidDataException($"The assembly has no embedded resource '{name}'. It has: {string.Join(", ", names)}.");
    }
}
