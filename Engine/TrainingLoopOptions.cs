namespace AspireSimClr.Engine;

/// <summary>How to run (not what to learn): where checkpoints go and whether to continue one.</summary>
public sealed record TrainingLoopOptions
{
    /// <summary>Folder for latest.ckpt; null keeps no checkpoints.</summary>
    public string? CheckpointDir { get; init; }

    /// <summary>A checkpoint to continue from; its config is used, not the one passed in.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>
    /// Read the loss back every N steps (and at each epoch's last step). Null: every step on the CPU,
    /// where it costs nothing; every 10 steps on a GPU, where each read makes the host wait for the GPU.
    /// </summary>
    public int? StepMetricsEvery { get; init; }

    public int StepMetricsEveryOn(TorchSharp.torch.Device device) =>
        StepMetricsEvery ?? (device.type == TorchSharp.DeviceType.CUDA ? 10 : 1);
}
