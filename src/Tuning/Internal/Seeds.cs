using System.Security.Cryptography;

namespace Pipelines.Tuning.Internal;

/// <summary>Turns an optional user seed into a concrete one.</summary>
internal static class Seeds
{
    /// <summary>The given seed, or a fresh unpredictable one when none was given.</summary>
    public static long Resolve(long? seed)
        => seed ?? BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
}
