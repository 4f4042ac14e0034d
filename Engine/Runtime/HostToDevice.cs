using static TorchSharp.torch;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// Copies from host memory to a GPU without making the host wait. A plain <c>to(cuda)</c> from
/// pageable memory synchronises with the GPU, draining its queue each time; staging through pinned
/// memory allows an asynchronous copy, and libtorch keeps the pinned block until the copy has run.
/// </summary>
public static class HostToDevice
{
    /// <returns>A tensor on <paramref name="device"/>; on the CPU, <paramref name="host"/> itself.</returns>
    public static Tensor Copy(Tensor host, Device device)
    {
        if (device.type != TorchSharp.DeviceType.CUDA) return host.to(device);
        using var pinned = host.pin_memory();
        return pinned.to(device, non_blocking: true);
    }
}
