using System.Runtime.InteropServices;
using System.Text;

namespace AspireSimClr.Trainer.Engine.Runtime;

/// <summary>
/// Reads GPU names and memory through NVML (libnvidia-ml, part of the NVIDIA driver): TorchSharp
/// exposes neither device names nor memory figures. Without the driver the list is empty.
/// NVML numbers GPUs in PCI bus order; CUDA does too when CUDA_DEVICE_ORDER=PCI_BUS_ID.
/// </summary>
public static class NvidiaGpus
{
    private const string Nvml = "libnvidia-ml.so.1";
    private const int Success = 0;
    private const int InsufficientSize = 7;

    public static IReadOnlyList<GpuDevice> Read()
    {
        try
        {
            if (nvmlInit_v2() != Success) return [];
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return [];
        }
        try
        {
            if (nvmlDeviceGetCount_v2(out uint count) != Success) return [];
            var devices = new List<GpuDevice>();
            for (uint i = 0; i < count; i++)
            {
                if (nvmlDeviceGetHandleByIndex_v2(i, out var handle) != Success) continue;
                var name = new byte[96];
                string deviceName = nvmlDeviceGetName(handle, name, (uint)name.Length) == Success
                    ? Encoding.UTF8.GetString(name, 0, Math.Max(0, Array.IndexOf(name, (byte)0))) : "unknown";
                if (nvmlDeviceGetMemoryInfo(handle, out var memory) != Success) continue;
                devices.Add(new GpuDevice((int)i, deviceName, (long)memory.Total, (long)memory.Used, ProcessMemory(handle)));
            }
            return devices;
        }
        catch (EntryPointNotFoundException)
        {
            return [];
        }
        finally
        {
            nvmlShutdown();
        }
    }

    private static long? ProcessMemory(IntPtr handle)
    {
        uint count = 0;
        int status = nvmlDeviceGetComputeRunningProcesses_v3(handle, ref count, null);
        if (status == Success && count == 0) return null;
        if (status != InsufficientSize) return null;
        var processes = new ProcessInfo[count + 4];
        count = (uint)processes.Length;
        if (nvmlDeviceGetComputeRunningProcesses_v3(handle, ref count, processes) != Success) return null;
        int self = Environment.ProcessId;
        for (int i = 0; i < count; i++)
            if (processes[i].Pid == self) return (long)processes[i].UsedGpuMemory;
        return null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryInfo
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    // nvmlProcessInfo_v2_t, the element type of the _v3 process query.
    [StructLayout(LayoutKind.Sequential)]
    private struct ProcessInfo
    {
        public uint Pid;
        public ulong UsedGpuMemory;
        public uint GpuInstanceId;
        public uint ComputeInstanceId;
    }

    [DllImport(Nvml)] private static extern int nvmlInit_v2();
    [DllImport(Nvml)] private static extern int nvmlShutdown();
    [DllImport(Nvml)] private static extern int nvmlDeviceGetCount_v2(out uint count);
    [DllImport(Nvml)] private static extern int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);
    [DllImport(Nvml)] private static extern int nvmlDeviceGetName(IntPtr device, [Out] byte[] name, uint length);
    [DllImport(Nvml)] private static extern int nvmlDeviceGetMemoryInfo(IntPtr device, out MemoryInfo memory);
    [DllImport(Nvml)] private static extern int nvmlDeviceGetComputeRunningProcesses_v3(IntPtr device, ref uint count, [In, Out] ProcessInfo[]? processes);
}
