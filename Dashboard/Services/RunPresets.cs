namespace AspireSimClr.Dashboard.Services;

/// <summary>Starting points for the new-run form.</summary>
public static class RunPresets
{
    public sealed record Preset(string Name, string Description, TrainingConfig Config);

    public static IReadOnlyList<Preset> All { get; } =
    [
        new("Quick CPU demo", "Tiny CNN on the synthetic dataset: a few seconds, for trying things out.",
            new TrainingConfig { Dataset = DatasetNames.Synthetic, Model = ModelNames.TinyCnn, Epochs = 3, BatchSize = 64, LearningRate = 1e-3, LinearProbeEpochs = 20 }),
        new("CIFAR-10 compact CNN (CPU)", "The README's best 10-minute CPU recipe: SimCLR, 25 epochs, LARS lr 0.4 with weight decay 1e-3, temperature 0.2; kNN 60.15 % and 59.97 % (two seeds), linear 66.5–67.1 %, in about 10 min on 2 cores with BF16 instructions (precision auto: bf16 there; on a CPU without them fp32, about 1.4 times as long).",
            new TrainingConfig
            {
                Dataset = DatasetNames.Cifar10, Model = ModelNames.CompactCnn, Epochs = 25, BatchSize = 256, Optimizer = OptimizerNames.Lars,
                LearningRate = 0.4, WeightDecay = 1e-3, WarmupEpochs = 1, Temperature = 0.2, KnnEveryEpochs = 5,
            }),
        new("SimCLR paper, CIFAR-10 ResNet-18", "Chen et al.'s CIFAR-10 recipe: LARS, lr 0.3·B/256... here B = 512, temperature 0.5, 10 warm-up epochs, 800 epochs (GPU).",
            new TrainingConfig
            {
                Dataset = DatasetNames.Cifar10, Model = ModelNames.ResNet18, Epochs = 800, BatchSize = 512, Optimizer = OptimizerNames.Lars,
                LearningRate = null, WeightDecay = 1e-6, WarmupEpochs = 10, Temperature = 0.5, ProjectionHiddenDim = 2048, ProjectionDim = 128,
                KnnEveryEpochs = 10, CheckpointEveryEpochs = 10,
            }),
    ];
}
