namespace AspireSimClr.Engine.Runtime;

/// <summary>Instruction-set features of this machine's CPU that decide which kernels libtorch (oneDNN) can use.</summary>
public static class CpuFeatures
{
    private static readonly Lazy<IReadOnlySet<string>> Flags = new(ReadFlags);

    /// <summary>AVX-512 BF16 or AMX-BF16: oneDNN computes bfloat16 convolutions and matrix products natively.</summary>
    public static bool HasNativeBf16 => HasBf16(Flags.Value);

    /// <summary>The flag that makes bf16 native, for messages; null when there is none.</summary>
    public static string? Bf16Flag => Flags.Value.Contains("amx_bf16") ? "AMX-BF16" : Flags.Value.Contains("avx512_bf16") ? "AVX-512 BF16" : null;

    public static bool HasBf16(IReadOnlySet<string> flags) => flags.Contains("avx512_bf16") || flags.Contains("amx_bf16");

    /// <summary>The "flags" line of /proc/cpuinfo (Linux); empty elsewhere, which makes every feature absent.</summary>
    public static IReadOnlySet<string> ParseCpuInfo(IEnumerable<string> lines)
    {
        var line = lines.FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
        return line is null ? new HashSet<string>() : line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
    }

    private static IReadOnlySet<string> ReadFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        try
        {
            return File.Exists(cpuinfo) ? ParseCpuInfo(File.ReadLines(cpuinfo)) : new HashSet<string>();
        }
        catch (IOException)
        {
            return new HashSet<string>();
        }
    }
}
