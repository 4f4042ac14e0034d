using AspireSimClr.Engine.Runtime;

namespace AspireSimClr.Trainer.Tests.Runtime;

public class NvidiaGpusTests
{
    [Fact]
    public void ListsTheDriversGpusOrNothingWithoutADriver()
    {
        var gpus = NvidiaGpus.Read();
        bool driver = File.Exists("/proc/driver/nvidia/version");
        Assert.Equal(driver, gpus.Count > 0);
        Assert.All(gpus, g =>
        {
            Assert.False(string.IsNullOrWhiteSpace(g.Name));
            Assert.InRange(g.UsedBytes, 0, g.TotalBytes);
        });
        Assert.Equal(Enumerable.Range(0, gpus.Count), gpus.Select(g => g.Index));
    }

    [Fact]
    public void TheFirstCudaDeviceIsFoundByItsBusIdWhereThereIsADriver()
    {
        var gpus = NvidiaGpus.Read();
        var first = NvidiaGpus.ForCudaDevice(0);
        if (gpus.Count == 0 || Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is not null)
        {
            if (gpus.Count == 0)
            {
                Assert.Null(first);
                Assert.Null(CudaDriver.ComputeCapability(0));
            }
            return;
        }
        Assert.NotNull(first);
        Assert.Contains(first, gpus);
        Assert.NotNull(CudaDriver.ComputeCapability(0));
    }
}
