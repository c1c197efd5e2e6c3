using System.Buffers.Binary;
using System.Text.Json;

namespace Pipelines.Training;

/// <summary>Writes safetensors files: tensors sorted by name, header padded with spaces to 8 bytes, deterministic bytes.</summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (and optional <c>__metadata__</c>) to <paramref name="path"/>, replacing it.</summary>
    /// <exception cref="ArgumentException">A name repeats or a shape does not match its data length.</exception>
    public static void Write(string path, IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var t = ordered[i];
            if (t.Name == "__metadata__" || string.IsNullOrEmpty(t.Name))
            {
                throw new ArgumentException($"Tensor name '{t.Name}' is reserved or empty.", nameof(tensors));
            }

            if (i > 0 && ordered[i - 1].Name == t.Name)
            {
                throw new ArgumentException($"Tensor name '{t.Name}' appears twice.", nameof(tensors));
            }

            var count = t.Shape.Aggregate(1L, (a, b) => a * b);
            if (count != t.Data.Length)
            {
                throw new ArgumentException($"Tensor '{t.Name}' has shape [{string.Join(", ", t.Shape)}] ({count} elements) but {t.Data.Length} values.", nameof(tensors));
            }
        }

        var header = BuildHeader(ordered, metadata);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        var buffer = Array.Empty<byte>();
        foreach (var t in ordered)
        {
            var size = t.Data.Length * SafetensorsElement.Size(t.DType);
            if (buffer.Length < size)
            {
                buffer = new byte[size];
            }

            SafetensorsElement.Encode(t.Data, t.DType, buffer.AsSpan(0, size));
            stream.Write(buffer, 0, size);
        }
    }

    private static byte[] BuildHeader(List<SafetensorsTensor> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject("__metadata__");
                foreach (var pair in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(pair.Key, pair.Value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (var t in ordered)
            {
                var size = (long)t.Data.Length * SafetensorsElement.Size(t.DType);
                writer.WriteStartObject(t.Name);
                writer.WriteString("dtype", SafetensorsElement.Name(t.DType));
                writer.WriteStartArray("shape");
                foreach (var d in t.Shape)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + size);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += size;
            }

            writer.WriteEndObject();
        }

        var raw = json.ToArray();
        var padded = (raw.Length + 7) / 8 * 8;
        var header = new byte[padded];
        raw.CopyTo(header, 0);
        header.AsSpan(raw.Length).Fill((byte)' ');
        return header;
    }
}
