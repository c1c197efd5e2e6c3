using System.Runtime.InteropServices;

namespace Pipelines.Stages.Dedup;

/// <summary>
/// Unicode NFKC through the system ICU library. The repo runs with InvariantGlobalization, where
/// <see cref="string.Normalize()"/> leaves non-ASCII text unchanged, so we call ICU ourselves
/// (the same library .NET itself uses when globalization is on).
/// </summary>
internal static unsafe class IcuNormalizer
{
    private const int UErrorBufferOverflow = 15;

    private static readonly Lazy<Api?> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether ICU could be loaded on this machine.</summary>
    public static bool IsAvailable => Loaded.Value is not null;

    /// <summary>Returns the NFKC form of <paramref name="text"/>; ASCII text is returned as is.</summary>
    public static string Nfkc(string text)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            return text;
        }

        var api = Loaded.Value ?? throw new InvalidOperationException(
            "NFKC normalisation needs the ICU library (libicuuc), which was not found on this machine. " +
            "Install ICU (e.g. the libicu package) or set 'normalization.nfkc: false'.");
        int status = 0;
        int capacity = Math.Max(16, text.Length * 2);
        while (true)
        {
            char[] buffer = System.Buffers.ArrayPool<char>.Shared.Rent(capacity);
            try
            {
                status = 0;
                int length;
                fixed (char* source = text)
                fixed (char* destination = buffer)
                {
                    length = api.Normalize(api.Nfkc, source, text.Length, destination, buffer.Length, &status);
                }

                if (status == UErrorBufferOverflow)
                {
                    capacity = length + 1;
                    continue;
                }

                if (status > 0)
                {
                    throw new InvalidOperationException($"ICU NFKC normalisation failed with error code {status}.");
                }

                return new string(buffer, 0, length);
            }
            finally
            {
                System.Buffers.ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }

    private static Api? Load()
    {
        foreach (string name in CandidateNames())
        {
            if (!NativeLibrary.TryLoad(name, out IntPtr handle))
            {
                continue;
            }

            // ICU exports versioned symbols (unorm2_normalize_72); probe the suffix.
            foreach (string suffix in Suffixes())
            {
                if (NativeLibrary.TryGetExport(handle, "unorm2_getNFKCInstance" + suffix, out IntPtr getInstance) &&
                    NativeLibrary.TryGetExport(handle, "unorm2_normalize" + suffix, out IntPtr normalize))
                {
                    int status = 0;
                    var instance = ((delegate* unmanaged<int*, IntPtr>)getInstance)(&status);
                    if (status <= 0 && instance != IntPtr.Zero)
                    {
                        return new Api(instance, (delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int>)normalize);
                    }
                }
            }
        }

        return null;
    }

    private static IEnumerable<string> CandidateNames()
    {
        yield return "libicuuc.so";
        for (int version = 90; version >= 50; version--)
        {
            yield return $"libicuuc.so.{version}";
        }

        yield return "libicuuc.dylib";
        yield return "icuuc.dll";
    }

    private static IEnumerable<string> Suffixes()
    {
        yield return string.Empty;
        for (int version = 90; version >= 50; version--)
        {
            yield return "_" + version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private sealed class Api(IntPtr nfkc, delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int> normalize)
    {
        public IntPtr Nfkc { get; } = nfkc;

        public delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int> Normalize { get; } = normalize;
    }
}
