using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Data;

public enum BatchPlacement
{
    /// <summary>Training on the CPU: batches are gathered from the in-memory dataset.</summary>
    Host,
    /// <summary>The whole uint8 dataset is copied to the GPU once; batches are gathered there.</summary>
    DeviceResident,
    /// <summary>Too big to keep on the GPU: each batch is gathered into pinned host memory and copied asynchronously.</summary>
    PinnedTransfer,
}

/// <summary>Hands the training loop its batches of uint8 images on the compute device.</summary>
public sealed class DeviceBatches : IDisposable
{
    /// <summary>CIFAR-10's 50,000 training images take 150 MB; a GPU keeps datasets up to this size resident.</summary>
    public const long DefaultResidentBudgetBytes = 2L << 30;

    private readonly Tensor _images;
    private readonly Tensor? _resident;
    private readonly Device _device;

    public DeviceBatches(Tensor images, Device device, long residentBudgetBytes = DefaultResidentBudgetBytes)
    {
        _images = images;
        _device = device;
        Placement = Choose(device.type, images.NumberOfElements * images.ElementSize, residentBudgetBytes);
        if (Placement == BatchPlacement.DeviceResident) _resident = images.to(device).DetachFromDisposeScope();
    }

    public BatchPlacement Placement { get; }

    public static BatchPlacement Choose(TorchSharp.DeviceType deviceType, long datasetBytes, long residentBudgetBytes) =>
        deviceType == TorchSharp.DeviceType.CPU ? BatchPlacement.Host
        : datasetBytes <= residentBudgetBytes ? BatchPlacement.DeviceResident
        : BatchPlacement.PinnedTransfer;

    /// <summary>The images at <paramref name="indices"/>, on the device; the caller disposes the result.</summary>
    public Tensor Gather(long[] indices)
    {
        using var index = tensor(indices);
        switch (Placement)
        {
            case BatchPlacement.DeviceResident:
                using (var onDevice = HostToDevice.Copy(index, _device))
                    return _resident!.index_select(0, onDevice);
            case BatchPlacement.PinnedTransfer:
                using (var gathered = _images.index_select(0, index))
                    return HostToDevice.Copy(gathered, _device);
            default:
                return _images.index_select(0, index);
        }
    }

    public void Dispose() => _resident?.Dispose();
}
