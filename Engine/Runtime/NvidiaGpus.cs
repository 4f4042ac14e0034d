using System.Runtime.InteropServices;
using System.Text;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// Reads GPU names and memory through NVML (libnvidia-ml, part of the NVIDIA driver): TorchSharp
/// exposes neither device names nor memory figures. Without the driver the list is empty.
/// </summary>
public static class NvidiaGpus
{
    private const string Nvml = "libnvidia-ml.so.1";
    private const int Success = 0;
    private const int InsufficientSize = 7;

    // Initialised once for the process's lifetime; NVML needs no shutdown.
    private static readonly Lazy<bool> Initialised = new(() =>
    {
        try
        {
            return nvmlInit_v2() == Success;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    });

    /// <summary>Every GPU, in NVML's (PCI bus) order.</summary>
    public static IReadOnlyList<GpuDevice> Read()
    {
        if (!Initialised.Value || nvmlDeviceGetCount_v2(out uint count) != Success) return [];
        var devices = new List<GpuDevice>();
        for (uint i = 0; i < count; i++)
            if (nvmlDeviceGetHandleByIndex_v2(i, out var handle) == Success && Describe(handle, (int)i) is { } gpu)
                devices.Add(gpu);
        return devices;
    }

    /// <summary>The GPU that CUDA calls <c>cuda:<paramref name="ordinal"/></c>, found by its PCI bus id.</summary>
    public static GpuDevice? ForCudaDevice(int ordinal)
    {
        if (!Initialised.Value || CudaDriver.PciBusId(ordinal) is not { } busId) return null;
        if (nvmlDeviceGetHandleByPciBusId_v2(busId, out var handle) != Success || nvmlDeviceGetIndex(handle, out uint index) != Success) return null;
        return Describe(handle, (int)index);
    }

    private static GpuDevice? Describe(IntPtr handle, int index)
    {
        var name = new byte[96];
        string deviceName = nvmlDeviceGetName(handle, name, (uint)name.Length) == Success
            ? Encoding.UTF8.GetString(name, 0, Math.Max(0, Array.IndexOf(name, (byte)0))) : "unknown";
        if (nvmlDeviceGetMemoryInfo(handle, out var memory) != Success) return null;
        return new GpuDevice(index, deviceName, (long)memory.Total, (long)memory.Used, ProcessMemory(handle));
    }

    private static long? ProcessMemory(IntPtr handle)
    {
        try
        {
            uint count = 0;
            int status = nvmlDeviceGetComputeRunningProcesses_v2(handle, ref count, null);
            if (status != InsufficientSize) return null;
            var processes = new ProcessInfo[count + 8];
            count = (uint)processes.Length;
            if (nvmlDeviceGetComputeRunningProcesses_v2(handle, ref count, processes) != Success) return null;
            int self = Environment.ProcessId;
            for (int i = 0; i < count; i++)
            {
                if (processes[i].Pid != self) continue;
                // NVML_VALUE_NOT_AVAILABLE (all ones) where the driver cannot attribute memory.
                return processes[i].UsedGpuMemory == ulong.MaxValue ? null : (long)processes[i].UsedGpuMemory;
            }
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryInfo
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    // nvmlProcessInfo_v2_t (24 bytes), the element type of the _v2 process query, whose layout every driver since R470 keeps.
    [StructLayout(LayoutKind.Sequential)]
    private struct ProcessInfo
    {
        public uint Pid;
        public ulong UsedGpuMemory;
        public uint GpuInstanceId;
        public uint ComputeInstanceId;
    }

    [DllImport(Nvml)] private static extern int nvmlInit_v2();
    [DllImport(Nvml)] private static extern int nvmlDeviceGetCount_v2(out uint count);
    [DllImport(Nvml)] private static extern int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);
    [DllImport(Nvml)] private static extern int nvmlDeviceGetHandleByPciBusId_v2([MarshalAs(UnmanagedType.LPStr)] string pciBusId, out IntPtr device);
    [DllImport(Nvml)] private static extern int nvmlDeviceGetIndex(IntPtr device, out uint index);
    [DllImport(Nvml)] private static extern int nvmlDeviceGetName(IntPtr device, [Out] byte[] name, uint length);
    [DllImport(Nvml)] private static extern int nvmlDeviceGetMemoryInfo(IntPtr device, out MemoryInfo memory);
    [DllImport(Nvml)] private static extern int nvmlDeviceGetComputeRunningProcesses_v2(IntPtr device, ref uint count, [In, Out] ProcessInfo[]? processes);
}
