using System.Runtime.InteropServices;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// glibc's malloc hands libtorch's large buffers back to the kernel when they are freed (mmap above a
/// threshold, trim of the heap's top) and faults them in again on the next step, which halves CPU training
/// speed. <see cref="KeepLargeBuffersMapped"/> raises both thresholds with <c>mallopt</c>, as the
/// <c>MALLOC_MMAP_THRESHOLD_</c> and <c>MALLOC_TRIM_THRESHOLD_</c> variables would, so a process is fast
/// whatever launched it. Call it first thing; it leaves settings the user made in the environment alone
/// and does nothing where the C library is not glibc.
/// </summary>
public static class GlibcAllocator
{
    private const int TrimThreshold = -1, MmapThreshold = -3;   // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in malloc.h
    private static readonly string[] UserSettings = ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"];

    /// <summary>What this process runs with, for logs and benchmark headers.</summary>
    public static string State { get; private set; } = "default";

    public static void KeepLargeBuffersMapped()
    {
        if (!OperatingSystem.IsLinux()) return;
        var set = UserSettings.Where(name => Environment.GetEnvironmentVariable(name) is not null).ToList();
        if (set.Count > 0)
        {
            State = "as set in the environment (" + string.Join(", ", set) + ")";
            return;
        }
        try
        {
            _ = GnuLibcVersion();
        }
        catch (EntryPointNotFoundException)
        {
            State = "not glibc";
            return;
        }
        // 2 GiB, mallopt's largest: no allocation below it is given its own mapping or trimmed away.
        bool mmap = Mallopt(MmapThreshold, int.MaxValue) == 1;
        bool trim = Mallopt(TrimThreshold, int.MaxValue) == 1;
        State = mmap && trim ? "glibc, large buffers kept mapped (mallopt)" : "glibc, mallopt refused";
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern IntPtr GnuLibcVersion();
}
