namespace AspireSimClr.Dashboard.Services;

/// <summary>Starting points for the new-run form.</summary>
public static class RunPresets
{
    public sealed record Preset(string Name, string Description, TrainingConfig Config);

    public static IReadOnlyList<Preset> All { get; } =
    [
        new("Quick CPU demo", "Tiny CNN on the synthetic dataset: a few seconds, for trying things out.",
            new TrainingConfig { Dataset = DatasetNames.Synthetic, Model = ModelNames.TinyCnn, Epochs = 3, BatchSize = 64, LearningRate = 1e-3, LinearProbeEpochs = 20 }),
        new("CIFAR-10 compact CNN (CPU)", "The README's best 10-minute CPU recipe: SimCLR, 50 epochs at batch 512, LARS lr 0.6 with weight decay 1e-3, temperature 0.2, a 2048-wide projection head, views growing from 16 to 24 px over the first 25 epochs (evaluation sees 32 px), grayscale p 0.1 and crops from 0.3 of the image; kNN 65.12 % on average over five seeds (64.39 to 65.74 %), linear 71.21 %, in 9.4 to 9.8 min on 2 cores with BF16 instructions (precision auto: bf16 there; on a CPU without them fp32, about 2.5 times as long: take the 12-epoch preset).",
            new TrainingConfig
            {
                Dataset = DatasetNames.Cifar10, Model = ModelNames.CompactCnn, Epochs = 50, BatchSize = 512, Optimizer = OptimizerNames.Lars,
                LearningRate = 0.6, WeightDecay = 1e-3, WarmupEpochs = 1, Temperature = 0.2, ProjectionHiddenDim = 2048, ProgressiveResolutionStart = 16,
                ProgressiveResolutionEnd = 24, GrayscaleProbability = 0.1, CropScaleMin = 0.3, KnnEveryEpochs = 10,
            }),
        new("CIFAR-10 SimCLR, 12 epochs (fp32 CPU)", "For a CPU without BF16 instructions (fp32, about 50 s an epoch on 2 cores): SimCLR at batch 256, LARS lr 0.4 with weight decay 1e-3, temperature 0.2, grayscale p 0.1 and crops from 0.2 of the image, a 512-wide projection head and 32 px throughout, in 12 epochs; kNN 59.44 % and 60.42 % over two seeds, linear 65.32 % and 65.21 %, in about 11 min (the README's 10-minute ablation).",
            new TrainingConfig
            {
                Dataset = DatasetNames.Cifar10, Model = ModelNames.CompactCnn, Epochs = 12, BatchSize = 256, Optimizer = OptimizerNames.Lars,
                LearningRate = 0.4, WeightDecay = 1e-3, WarmupEpochs = 1, Temperature = 0.2, GrayscaleProbability = 0.1, CropScaleMin = 0.2, KnnEveryEpochs = 4,
            }),
        new("CIFAR-10 VICReg (CPU)", "VICReg with a 1024-wide expander, LARS lr 0.3, weight decay 1e-4, 25 epochs: kNN 62.02 % in 11 min on 2 cores with BF16 instructions (the README's methods table).",
            new TrainingConfig
            {
                Method = MethodNames.Vicreg, Dataset = DatasetNames.Cifar10, Model = ModelNames.CompactCnn, Epochs = 25, BatchSize = 256, Optimizer = OptimizerNames.Lars,
                LearningRate = 0.3, WeightDecay = 1e-4, WarmupEpochs = 1, ProjectionHiddenDim = 1024, ProjectionDim = 1024, KnnEveryEpochs = 5,
            }),
        new("CIFAR-10 Barlow Twins (CPU)", "Barlow Twins with a 1024-wide projector, LARS lr 0.3, weight decay 1e-4, λ 0.0051, scale 0.1, 25 epochs: kNN 61.27 % in 10 min on 2 cores with BF16 instructions (fp32 without them: 61.28 % in 22 min).",
            new TrainingConfig
            {
                Method = MethodNames.BarlowTwins, Dataset = DatasetNames.Cifar10, Model = ModelNames.CompactCnn, Epochs = 25, BatchSize = 256, Optimizer = OptimizerNames.Lars,
                LearningRate = 0.3, WeightDecay = 1e-4, WarmupEpochs = 1, ProjectionHiddenDim = 1024, ProjectionDim = 1024, KnnEveryEpochs = 5,
            }),
        new("CIFAR-10 MoCo v2 (CPU)", "MoCo v2 with a 4,096-key queue, LARS lr 0.4, weight decay 1e-3, temperature 0.2, 20 epochs: kNN 59.18 % in 8 min on 2 cores with BF16 instructions.",
            new TrainingConfig
            {
                Method = MethodNames.MocoV2, Dataset = DatasetNames.Cifar10, Model = ModelNames.CompactCnn, Epochs = 20, BatchSize = 256, Optimizer = OptimizerNames.Lars,
                LearningRate = 0.4, WeightDecay = 1e-3, WarmupEpochs = 1, Temperature = 0.2, QueueSize = 4096, TargetMomentum = 0.99, KnnEveryEpochs = 5,
            }),
        new("CIFAR-10 BYOL (CPU)", "BYOL, LARS lr 0.4, weight decay 1e-3, target momentum 0.99 → 1, solarisation on the second view, 20 epochs: kNN 53.00 % in 7 min on 2 cores with BF16 instructions (BYOL wants more epochs than that).",
            new TrainingConfig
            {
                Method = MethodNames.Byol, Dataset = DatasetNames.Cifar10, Model = ModelNames.CompactCnn, Epochs = 20, BatchSize = 256, Optimizer = OptimizerNames.Lars,
                LearningRate = 0.4, WeightDecay = 1e-3, WarmupEpochs = 1, TargetMomentum = 0.99, SolarizeProbability = 0.2, KnnEveryEpochs = 5,
            }),
        new("CIFAR-10 DINO (CPU)", "DINO with 4,096 prototypes, a 1024-wide projector to a 256-wide bottleneck, LARS lr 0.1, weight decay 1e-4, teacher momentum 0.996 → 1, prototypes frozen for the first epoch, 20 epochs: kNN 51.19 % in 9 min on 2 cores with BF16 instructions (DINO wants hundreds of epochs; at this budget SimCLR learns more).",
            new TrainingConfig
            {
                Method = MethodNames.Dino, Dataset = DatasetNames.Cifar10, Model = ModelNames.CompactCnn, Epochs = 20, BatchSize = 256, Optimizer = OptimizerNames.Lars,
                LearningRate = 0.1, WeightDecay = 1e-4, WarmupEpochs = 1, ProjectionHiddenDim = 1024, ProjectionDim = 256, TargetMomentum = 0.996, KnnEveryEpochs = 5,
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
