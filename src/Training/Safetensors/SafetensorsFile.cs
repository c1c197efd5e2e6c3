using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text.Json;

namespace Pipelines.Training;

/// <summary>
/// A safetensors file opened read-only and memory-mapped: an 8-byte little-endian header length,
/// a JSON header (tensor name to dtype, shape and data offsets, plus optional <c>__metadata__</c>),
/// then the raw little-endian tensor bytes. The header is validated strictly when the file is opened.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;

    private SafetensorsFile(string path, MemoryMappedFile? map, MemoryMappedViewAccessor? view, long dataStart,
        IReadOnlyList<SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _map = map;
        _view = view;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file this was opened from.</summary>
    public string Path { get; }

    /// <summary>Tensors, sorted by name (ordinal).</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> map (string to string); empty when absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, its header is malformed, offsets overlap or leave holes, or a dtype is unsupported.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var length = new FileInfo(path).Length;
        if (length < 8)
        {
            throw new InvalidDataException($"Safetensors file '{path}' is truncated: it has {length} bytes, fewer than the 8-byte header length.");
        }

        byte[] header;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > MaxHeaderBytes)
            {
                throw new InvalidDataException($"Safetensors file '{path}' declares a header of {headerLength} bytes, more than the {MaxHeaderBytes}-byte limit: the file is corrupt or not safetensors.");
            }

            if ((long)headerLength > length - 8)
            {
                throw new InvalidDataException($"Safetensors file '{path}' is truncated: its header declares {headerLength} bytes but only {length - 8} follow the length prefix.");
            }

            header = new byte[headerLength];
            stream.ReadExactly(header);
        }

        var dataStart = 8 + header.Length;
        var dataLength = length - dataStart;
        var (tensors, metadata) = ParseHeader(path, header, dataLength);
        if (dataLength == 0)
        {
            return new SafetensorsFile(path, null, null, dataStart, tensors, metadata);
        }

        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            return new SafetensorsFile(path, map, view, dataStart, tensors, metadata);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>Whether a tensor of this name exists.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry for <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public SafetensorsTensorInfo Info(string name) =>
        _byName.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"Safetensors file '{Path}' has no tensor named '{name}'.");

    /// <summary>Reads a tensor's values as floats (F16 and BF16 are widened exactly).</summary>
    public float[] ReadSingles(string name)
    {
        var info = Info(name);
        var values = new float[info.ElementCount];
        ReadSingles(info, values);
        return values;
    }

    /// <summary>Reads a tensor's values as floats into <paramref name="destination"/> (length = element count).</summary>
    public unsafe void ReadSingles(SafetensorsTensorInfo info, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (destination.Length != info.ElementCount)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values but tensor '{info.Name}' has {info.ElementCount}.", nameof(destination));
        }

        if (destination.Length == 0)
        {
            return;
        }

        var handle = _view!.SafeMemoryMappedViewHandle;
        byte* pointer = null;
        handle.AcquirePointer(ref pointer);
        try
        {
            var start = pointer + _view.PointerOffset + _dataStart + info.Begin;
            var bytes = new ReadOnlySpan<byte>(start, checked((int)(info.End - info.Begin)));
            SafetensorsElement.Decode(bytes, info.DType, destination);
        }
        finally
        {
            handle.ReleasePointer();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _view?.Dispose();
        _map?.Dispose();
    }

    private static (IReadOnlyList<SafetensorsTensorInfo>, IReadOnlyDictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Safetensors file '{path}' has a header that is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"Safetensors file '{path}' has a header that is not a JSON object.");
            }

            var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var tensors = new List<SafetensorsTensorInfo>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    ReadMetadata(path, property.Value, metadata);
                    continue;
                }

                tensors.Add(ReadTensor(path, property.Name, property.Value));
            }

            ValidateLayout(path, tensors, dataLength);
            tensors.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return (tensors, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement element, SortedDictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"Safetensors file '{path}': '__metadata__' must be an object of strings.");
        }

        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"Safetensors file '{path}': '__metadata__' value '{entry.Name}' must be a string, not {entry.Value.ValueKind}.");
            }

            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafetensorsTensorInfo ReadTensor(string path, string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !element.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"Safetensors file '{path}': tensor '{name}' must have 'dtype' (string), 'shape' (array) and 'data_offsets' (two integers).");
        }

        var dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsElement.TryParse(dtypeName, out var dtype))
        {
            throw new InvalidDataException($"Safetensors file '{path}': tensor '{name}' has dtype '{dtypeName}', which is not supported. Supported: F32, F16, BF16.");
        }

        var shape = new long[shapeElement.GetArrayLength()];
        var i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var value) || value < 0)
            {
                throw new InvalidDataException($"Safetensors file '{path}': tensor '{name}' has a shape entry '{dim}' that is not a non-negative integer.");
            }

            shape[i++] = value;
        }

        var offsets = offsetsElement.EnumerateArray().Select(o =>
            o.ValueKind == JsonValueKind.Number && o.TryGetInt64(out var v) && v >= 0
                ? v
                : throw new InvalidDataException($"Safetensors file '{path}': tensor '{name}' has a data offset '{o}' that is not a non-negative integer.")).ToArray();
        var info = new SafetensorsTensorInfo(name, dtype, shape, offsets[0], offsets[1]);
        if (info.End < info.Begin)
        {
            throw new InvalidDataException($"Safetensors file '{path}': tensor '{name}' has data offsets [{info.Begin}, {info.End}] that end before they begin.");
        }

        var expected = checked(info.ElementCount * SafetensorsElement.Size(dtype));
        if (info.End - info.Begin != expected)
        {
            throw new InvalidDataException($"Safetensors file '{path}': tensor '{name}' ({dtypeName}, shape [{string.Join(", ", shape)}]) needs {expected} bytes but its data offsets span {info.End - info.Begin}.");
        }

        return info;
    }

    private static void ValidateLayout(string path, List<SafetensorsTensorInfo> tensors, long dataLength)
    {
        // The format requires the data section to be covered exactly: no overlaps, no holes.
        var ordered = tensors.OrderBy(t => t.Begin).ThenBy(t => t.End).ToList();
        long position = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var t in ordered)
        {
            if (t.Begin < position)
            {
                throw new InvalidDataException($"Safetensors file '{path}': tensor '{t.Name}' (bytes {t.Begin}-{t.End}) overlaps tensor '{previous!.Name}' (bytes {previous.Begin}-{previous.End}).");
            }

            if (t.Begin > position)
            {
                throw new InvalidDataException($"Safetensors file '{path}': the data section has a hole at bytes {position}-{t.Begin} before tensor '{t.Name}'.");
            }

            position = t.End;
            previous = t;
        }

        if (position > dataLength)
        {
            throw new InvalidDataException($"Safetensors file '{path}' is truncated: tensor '{previous!.Name}' ends at data byte {position} but the data section has {dataLength} bytes.");
        }

        if (position < dataLength)
        {
            throw new InvalidDataException($"Safetensors file '{path}' has {dataLength - position} trailing bytes after the last tensor's data.");
        }
    }
}
