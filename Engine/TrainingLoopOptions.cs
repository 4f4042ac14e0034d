namespace AspireSimClr.Engine;

/// <summary>How to run (not what to learn): where checkpoints go and whether to continue one.</summary>
public sealed record TrainingLoopOptions
{
    /// <summary>Folder for latest.ckpt; null keeps no checkpoints.</summary>
    public string? CheckpointDir { get; init; }

    /// <summary>A checkpoint to continue from; its config is used, not the one passed in (unless <see cref="ResumeWithConfig"/> is set).</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>
    /// Settings that replace the checkpoint's when continuing from it: a fork with edited settings, which
    /// <see cref="TrainingFork.Check"/> has allowed (the data, networks, method, batch and optimiser stay).
    /// </summary>
    public TrainingConfig? ResumeWithConfig { get; init; }

    /// <summary>
    /// Read the loss back every N steps (and at each epoch's last step). Null: every step on the CPU,
    /// where it costs nothing; every 10 steps on a GPU, where each read makes the host wait for the GPU.
    /// </summary>
    public int? StepMetricsEvery { get; init; }

    public int StepMetricsEveryOn(TorchSharp.torch.Device device) =>
        StepMetricsEvery ?? (device.type == TorchSharp.DeviceType.CUDA ? 10 : 1);
}
