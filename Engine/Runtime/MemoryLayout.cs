using static TorchSharp.torch;

namespace AspireSimClr.Engine.Runtime;

/// <summary>
/// Channels-last (NHWC) layout for image batches. TorchSharp 0.107 has no <c>memory_format</c>
/// argument, but a permute to NHWC, a contiguous copy and a permute back give the same tensor:
/// logical shape [N, C, H, W] with strides [HWC, 1, WC, C], which libtorch recognises as channels-last
/// and which convolutions (cuDNN, oneDNN) then keep for their outputs.
/// </summary>
public static class MemoryLayout
{
    public static Tensor ToChannelsLast(Tensor images) =>
        images.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    public static bool IsChannelsLast(Tensor images)
    {
        if (images.dim() != 4) return false;
        var stride = images.stride();
        long channels = images.shape[1], width = images.shape[3];
        return stride[1] == 1 && stride[3] == channels && stride[2] == width * channels;
    }
}
