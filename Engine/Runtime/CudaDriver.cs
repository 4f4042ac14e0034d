using System.Runtime.InteropServices;
using System.Text;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// The CUDA driver API (libcuda.so.1, part of the NVIDIA driver), for what neither libtorch's nor
/// TorchSharp's API exposes: a CUDA device's PCI bus id (CUDA ordinals follow CUDA_VISIBLE_DEVICES
/// and CUDA_DEVICE_ORDER, NVML's indices do not, the bus id is common to both) and its compute
/// capability. Everything returns null where there is no driver.
/// </summary>
public static class CudaDriver
{
    private const string Library = "libcuda.so.1";
    private const int ComputeCapabilityMajor = 75, ComputeCapabilityMinor = 76;

    private static readonly Lazy<bool> Initialised = new(() =>
    {
        try
        {
            return cuInit(0) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    });

    public static string? PciBusId(int ordinal)
    {
        if (!Initialised.Value || cuDeviceGet(out int device, ordinal) != 0) return null;
        var buffer = new byte[64];
        if (cuDeviceGetPCIBusId(buffer, buffer.Length, device) != 0) return null;
        return Encoding.ASCII.GetString(buffer, 0, Math.Max(0, Array.IndexOf(buffer, (byte)0)));
    }

    public static Version? ComputeCapability(int ordinal)
    {
        if (!Initialised.Value || cuDeviceGet(out int device, ordinal) != 0) return null;
        return cuDeviceGetAttribute(out int major, ComputeCapabilityMajor, device) == 0 && cuDeviceGetAttribute(out int minor, ComputeCapabilityMinor, device) == 0
            ? new Version(major, minor) : null;
    }

    [DllImport(Library)] private static extern int cuInit(uint flags);
    [DllImport(Library)] private static extern int cuDeviceGet(out int device, int ordinal);
    [DllImport(Library)] private static extern int cuDeviceGetPCIBusId([Out] byte[] busId, int length, int device);
    [DllImport(Library)] private static extern int cuDeviceGetAttribute(out int value, int attribute, int device);
}
