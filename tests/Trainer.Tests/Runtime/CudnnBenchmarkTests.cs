using AspireSimClr.Engine.Runtime;

namespace AspireSimClr.Trainer.Tests.Runtime;

public class CudnnBenchmarkTests
{
    [Fact]
    public void TheFlagIsSetInLibtorchAndReadsBack()
    {
        Assert.True(CudnnBenchmark.TrySet(true));
        Assert.True(CudnnBenchmark.Read());
        Assert.True(CudnnBenchmark.TrySet(false));
        Assert.False(CudnnBenchmark.Read());
    }
}
