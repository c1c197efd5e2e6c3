using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipelines.Stages.Dedup;

/// <summary>
/// XxHash128 of a row's (already normalised) values. Each value is prefixed by its length, and null by
/// −1, so ("ab", "c") and ("a", "bc") and (null, "") all hash differently.
/// </summary>
public sealed class RowHasher
{
    private readonly XxHash128 _hash = new();

    /// <summary>Hash of <paramref name="values"/> in order.</summary>
    public UInt128 Hash(ReadOnlySpan<string?> values)
    {
        _hash.Reset();
        Span<byte> prefix = stackalloc byte[4];
        foreach (string? value in values)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(prefix, value?.Length ?? -1);
            _hash.Append(prefix);
            if (value is not null)
            {
                _hash.Append(MemoryMarshal.AsBytes(value.AsSpan()));
            }
        }

        return _hash.GetCurrentHashAsUInt128();
    }
}
