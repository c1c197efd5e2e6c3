using System.Buffers.Binary;
using System.Text;
using NUnit.Framework;

namespace Pipelines.Training.Tests;

public class SafetensorsFileTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("st-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void Round_trip_keeps_names_shapes_values_and_metadata()
    {
        var path = Path.Combine(_dir, "a.safetensors");
        var f32 = new float[] { 1.5f, -2.25f, 3e-8f, 65504f, 0f, 7f };
        SafetensorsWriter.Write(path, new[]
        {
            new SafetensorsTensor("z.weight", [2, 3], f32),
            new SafetensorsTensor("a.half", [2], [0.5f, -1.75f], SafetensorsDType.F16),
            new SafetensorsTensor("m.bf", [3], [1f, -0.15625f, 256f], SafetensorsDType.BF16),
        }, new Dictionary<string, string> { ["format"] = "pt" });

        using var file = SafetensorsFile.Open(path);
        Assert.That(file.Tensors.Select(t => t.Name), Is.EqualTo(new[] { "a.half", "m.bf", "z.weight" }));
        Assert.That(file.Metadata["format"], Is.EqualTo("pt"));
        Assert.That(file.Info("z.weight").Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(file.ReadSingles("z.weight"), Is.EqualTo(f32));
        Assert.That(file.ReadSingles("a.half"), Is.EqualTo(new[] { 0.5f, -1.75f }));
        Assert.That(file.ReadSingles("m.bf"), Is.EqualTo(new[] { 1f, -0.15625f, 256f }));
    }

    [Test]
    public void Bf16_rounds_to_the_nearest_representable_value()
    {
        var path = Path.Combine(_dir, "b.safetensors");
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7 in bfloat16: ties go to even (1).
        // 1 + 3 * 2^-9 is nearer to 1 + 2^-7.
        SafetensorsWriter.Write(path, [new SafetensorsTensor("x", [2], [1f + 1f / 256, 1f + 3f / 512], SafetensorsDType.BF16)]);
        using var file = SafetensorsFile.Open(path);
        Assert.That(file.ReadSingles("x"), Is.EqualTo(new[] { 1f, 1f + 1f / 128 }));
    }

    [Test]
    public void A_hand_made_file_is_read_with_its_header_offsets()
    {
        // Header written by hand in the order a Python writer might use (not sorted), F16 then F32.
        var header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"__metadata__\":{\"k\":\"v\"}}";
        var data = new byte[8];
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(0), (Half)2.0f);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(2), (Half)(-0.5f));
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), 42.125f);
        var path = WriteRaw("hand.safetensors", header, data);

        using var file = SafetensorsFile.Open(path);
        Assert.That(file.ReadSingles("a"), Is.EqualTo(new[] { 2f, -0.5f }));
        Assert.That(file.ReadSingles("b"), Is.EqualTo(new[] { 42.125f }));
        Assert.That(file.Metadata["k"], Is.EqualTo("v"));
    }

    [Test]
    public void A_file_shorter_than_eight_bytes_is_reported_as_truncated()
    {
        var path = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.That(e!.Message, Does.Contain("truncated"));
    }

    [Test]
    public void A_header_longer_than_the_file_is_reported_as_truncated()
    {
        var path = Path.Combine(_dir, "h.safetensors");
        var bytes = new byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 100);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.That(e!.Message, Does.Contain("truncated").And.Contain("100 bytes"));
    }

    [Test]
    public void Missing_tensor_bytes_are_reported_as_truncated_naming_the_tensor()
    {
        var path = WriteRaw("t.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4]);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.That(e!.Message, Does.Contain("truncated").And.Contain("'w'"));
    }

    [Test]
    public void Overlapping_tensors_are_rejected_naming_both()
    {
        var path = WriteRaw("o.safetensors",
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
            new byte[12]);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.That(e!.Message, Does.Contain("overlaps").And.Contain("'a'").And.Contain("'b'"));
    }

    [Test]
    public void An_unknown_dtype_is_rejected_naming_the_tensor_and_dtype()
    {
        var path = WriteRaw("d.safetensors", "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.That(e!.Message, Does.Contain("'ids'").And.Contain("'I64'"));
    }

    [Test]
    public void Offsets_that_disagree_with_the_shape_are_rejected()
    {
        var path = WriteRaw("s.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.That(e!.Message, Does.Contain("needs 12 bytes"));
    }

    [Test]
    public void A_header_that_is_not_json_is_rejected()
    {
        var path = WriteRaw("j.safetensors", "{not json", []);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.That(e!.Message, Does.Contain("not valid JSON"));
    }

    [Test]
    public void Writing_data_that_does_not_match_the_shape_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(Path.Combine(_dir, "x.safetensors"), [new SafetensorsTensor("w", [2, 2], [1f, 2f, 3f])]));
        Assert.That(e!.Message, Does.Contain("'w'").And.Contain("4 elements"));
    }

    [Test]
    public void The_header_is_padded_to_a_multiple_of_eight_bytes()
    {
        var path = Path.Combine(_dir, "p.safetensors");
        SafetensorsWriter.Write(path, [new SafetensorsTensor("w", [1], [1f])]);
        var bytes = File.ReadAllBytes(path);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.That(headerLength % 8, Is.EqualTo(0UL));
        Assert.That(bytes.Length, Is.EqualTo(8 + (int)headerLength + 4));
    }

    private string WriteRaw(string name, string header, byte[] data)
    {
        var path = Path.Combine(_dir, name);
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + headerBytes.Length);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
