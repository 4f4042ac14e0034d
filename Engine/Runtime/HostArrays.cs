using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// A tensor's values as a .NET array in one block copy. TorchSharp's <c>data&lt;T&gt;().ToArray()</c> asks
/// the native library for the element count once per element: 4,000 calls for a batch's augmentation
/// draws, 11 million for a ResNet-18's weights.
/// </summary>
public static class HostArrays
{
    public static T[] ToArray<T>(Tensor tensor) where T : unmanaged
    {
        using var host = tensor.device_type == TorchSharp.DeviceType.CPU ? tensor.contiguous() : tensor.cpu().contiguous();
        return MemoryMarshal.Cast<byte, T>(host.bytes).ToArray();
    }
}
