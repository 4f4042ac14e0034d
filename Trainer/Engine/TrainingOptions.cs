namespace AspireSimClr.Trainer.Engine;

/// <summary>How to run (not what to learn): where checkpoints go and whether to continue one.</summary>
public sealed record TrainingOptions
{
    /// <summary>Folder for latest.ckpt; null keeps no checkpoints.</summary>
    public string? CheckpointDir { get; init; }

    /// <summary>A checkpoint to continue from; its config is used, not the one passed in.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Read the loss back from the device every N steps (1 on CPU costs nothing).</summary>
    public int StepMetricsEvery { get; init; } = 1;
}
