using AspireSimClr.Engine.Data;
using AspireSimClr.Trainer.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Data;

public class DeviceBatchesTests
{
    [Fact]
    public void PlacementFollowsTheDeviceAndTheDatasetSize()
    {
        Assert.Equal(BatchPlacement.Host, DeviceBatches.Choose(DeviceType.CPU, 1, DeviceBatches.DefaultResidentBudgetBytes));
        Assert.Equal(BatchPlacement.DeviceResident, DeviceBatches.Choose(DeviceType.CUDA, 50_000L * 3 * 32 * 32, DeviceBatches.DefaultResidentBudgetBytes));
        Assert.Equal(BatchPlacement.PinnedTransfer, DeviceBatches.Choose(DeviceType.CUDA, 100_000L * 3 * 224 * 224, DeviceBatches.DefaultResidentBudgetBytes));
    }

    [Fact]
    public void GathersTheRequestedImagesInOrder()
    {
        using var images = arange(5 * 3 * 2 * 2, dtype: ScalarType.Byte).view(5, 3, 2, 2);
        using var batches = new DeviceBatches(images, CPU);
        using var batch = batches.Gather([4, 0, 2]);
        Assert.True(Tensors.Identical(batch, images.index_select(0, tensor(new long[] { 4, 0, 2 }))));
    }
}
