using AspireSimClr.Engine;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Training;

public class TrainingPreflightTests
{
    [Fact]
    public void ADeviceTheEngineCouldNotUseIsRefusedBeforeTheRunIsQueued()
    {
        // Beyond the last GPU (or any GPU on a machine without CUDA): the engine's DeviceSelector would throw at run start.
        var beyond = $"cuda:{(cuda.is_available() ? cuda.device_count() : 0)}";
        var error = Assert.Single(TrainingPreflight.Check(new TrainingConfig { Dataset = DatasetNames.Synthetic, Device = beyond }));
        Assert.Equal(nameof(TrainingConfig.Device), error.Field);
        Assert.Contains(beyond, error.Message);
    }

    [Fact]
    public void ACpuRunOnSyntheticDataPassesEveryCheck() =>
        Assert.Empty(TrainingPreflight.Check(new TrainingConfig { Dataset = DatasetNames.Synthetic, Device = "cpu", Precision = PrecisionNames.Bf16 }));
}
