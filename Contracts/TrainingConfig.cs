using static AspireSimClr.Contracts.ConfigSections;

namespace AspireSimClr.Contracts;

/// <summary>
/// Every hyperparameter of a run, with the defaults of a CPU-friendly SimCLR run on CIFAR-10. Each
/// setting's <see cref="SettingAttribute"/> is its one description (section of the config tree, help,
/// choices, bounds, the methods that read it), which <see cref="ConfigSchema"/> collects for the CLI,
/// the API, the validator and the dashboard. In JSON it is a tree of sections with a version
/// (<see cref="TrainingConfigJsonConverter"/>); the flat shape of version 1 is still read.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(TrainingConfigJsonConverter))]
public sealed record TrainingConfig
{
    [Setting(Data, "Which images: cifar10, fashion-mnist, image-folder (your own) or synthetic (random, for trying things out).", Choices = typeof(DatasetNames))]
    public string Dataset { get; init; } = DatasetNames.Cifar10;
    [Setting(Data, "The dataset's folder (image-folder: <class>/*.jpg, or train/ and test/ with class folders, or loose images).")]
    public string? DataDir { get; init; }
    [Setting(Data, "Where decoded image caches are written; by default beside the data.")]
    public string? CacheDir { get; init; }
    [Setting(Data, "Download CIFAR-10 when it is not in the data folder.")]
    public bool Download { get; init; } = true;
    [Setting(Data, "Side of the square images the encoder sees, in pixels; images are resized to it.", Min = 8, Max = 512)]
    public int ImageSize { get; init; } = 32;
    [Setting(Data, "Train on the first N training images only (empty: all).", Min = 2, Max = Limits.MaxImages)]
    public int? TrainSubset { get; init; }
    [Setting(Data, "Evaluate on the first N test images only (empty: all).", Min = 1, Max = Limits.MaxImages)]
    public int? TestSubset { get; init; }
    [Setting(Data, "Synthetic dataset: training images.", Min = 2, Max = Limits.MaxSyntheticImages)]
    public int SyntheticTrainSize { get; init; } = 2048;
    [Setting(Data, "Synthetic dataset: test images.", Min = 1, Max = Limits.MaxSyntheticImages)]
    public int SyntheticTestSize { get; init; } = 512;

    [Setting(Backbone, "The encoder: tiny-cnn (the tutorial's), compact-cnn (built for CPU budgets) or resnet18 (CIFAR stem).", Choices = typeof(ModelNames))]
    public string Model { get; init; } = ModelNames.CompactCnn;
    [Setting(Backbone, "Multiplies every convolution's channel count (rounded to a multiple of 8); 1 is the encoder as published.", Name = "width",
        Min = Limits.MinEncoderWidth, Max = Limits.MaxEncoderWidth)]
    public double EncoderWidth { get; init; } = 1.0;
    [Setting(Backbone, "Hidden width of the projection head (VICReg's expander).", Min = 1, Max = Limits.MaxProjectionDim)]
    public int ProjectionHiddenDim { get; init; } = 512;
    [Setting(Backbone, "Output width of the projection head, the space the loss compares in.", Min = 1, Max = Limits.MaxProjectionDim)]
    public int ProjectionDim { get; init; } = 128;

    [Setting(ConfigSections.Method, "The self-supervised method: simclr, byol, moco-v2, vicreg, barlow-twins or dino.", Name = "name", Choices = typeof(MethodNames))]
    public string Method { get; init; } = MethodNames.SimClr;
    [Setting(ConfigSections.Method, "Softmax temperature of the contrastive loss (NT-Xent, InfoNCE); lower sharpens it.", Methods = [MethodNames.SimClr, MethodNames.MocoV2],
        Min = 0, MinExclusive = true, Max = 10)]
    public double Temperature { get; init; } = 0.5;
    [Setting(ConfigSections.Method, "The target network's moving-average rate at the start; it rises to 1 on a cosine over the run.", Methods = [MethodNames.Byol, MethodNames.MocoV2, MethodNames.Dino],
        Min = 0, Max = 1)]
    public double TargetMomentum { get; init; } = 0.99;
    [Setting(ConfigSections.Method, "Hidden width of BYOL's predictor MLP (its output has the projection's width).", Methods = [MethodNames.Byol], Min = 1, Max = Limits.MaxProjectionDim)]
    public int PredictorHiddenDim { get; init; } = 512;
    [Setting(ConfigSections.Method, "MoCo's queue of negatives: keys of the momentum encoder from earlier batches.", Methods = [MethodNames.MocoV2],
        Min = 1, Max = Limits.MaxQueueSize, Why = "a million keys of 128 floats take 512 MiB")]
    public int QueueSize { get; init; } = 4096;
    [Setting(ConfigSections.Method, "Weight λ of the invariance term (mean squared distance between the two views' embeddings).", Methods = [MethodNames.Vicreg], Min = 0, Max = 1000)]
    public double VicregInvarianceWeight { get; init; } = 25;
    [Setting(ConfigSections.Method, "Weight μ of the variance term (hinge keeping each dimension's standard deviation above 1).", Methods = [MethodNames.Vicreg], Min = 0, Max = 1000)]
    public double VicregVarianceWeight { get; init; } = 25;
    [Setting(ConfigSections.Method, "Weight ν of the covariance term (squared off-diagonal covariances).", Methods = [MethodNames.Vicreg], Min = 0, Max = 1000)]
    public double VicregCovarianceWeight { get; init; } = 1;
    [Setting(ConfigSections.Method, "Weight λ of Barlow Twins' redundancy term (squared off-diagonal cross-correlations) against its invariance term.", Methods = [MethodNames.BarlowTwins],
        Min = 0, Max = 10)]
    public double BarlowTwinsLambda { get; init; } = 0.0051;
    [Setting(ConfigSections.Method, "Factor on Barlow Twins' whole loss (solo-learn's scale_loss), which keeps it in a range the learning rate suits.", Methods = [MethodNames.BarlowTwins],
        Min = 0, MinExclusive = true, Max = 100)]
    public double BarlowTwinsScale { get; init; } = 0.1;
    [Setting(ConfigSections.Method, "DINO's prototypes: the width K of the distributions student and teacher compare.", Methods = [MethodNames.Dino], Min = 2, Max = 65536)]
    public int DinoPrototypes { get; init; } = 4096;
    [Setting(ConfigSections.Method, "DINO's student softmax temperature.", Methods = [MethodNames.Dino], Min = 0, MinExclusive = true, Max = 10)]
    public double DinoStudentTemperature { get; init; } = 0.1;
    [Setting(ConfigSections.Method, "DINO's teacher softmax temperature, below the student's: the teacher's distribution is the sharper one.", Methods = [MethodNames.Dino],
        Min = 0, MinExclusive = true, Max = 10)]
    public double DinoTeacherTemperature { get; init; } = 0.04;
    [Setting(ConfigSections.Method, "Moving-average rate of the centre subtracted from the teacher's outputs (keeps one prototype from taking every image).", Methods = [MethodNames.Dino],
        Min = 0, Max = 1, MaxExclusive = true)]
    public double DinoCenterMomentum { get; init; } = 0.9;
    [Setting(ConfigSections.Method, "Epochs at the start during which DINO's prototypes get no gradient (its last layer held still, as in the paper).", Methods = [MethodNames.Dino],
        Min = 0, Max = Limits.MaxEpochs)]
    public int DinoFreezePrototypesEpochs { get; init; } = 1;

    [Setting(Schedule, "Passes over the training images.", Min = 1, Max = Limits.MaxEpochs)]
    public int Epochs { get; init; } = 10;
    [Setting(Schedule, "Images per step; each gives two views.", Min = 2, Max = Limits.MaxBatchSize,
        Why = "contrastive losses need negatives and batch normalisation two samples, and NT-Xent's similarity matrix grows with the square")]
    public int BatchSize { get; init; } = 256;
    [Setting(Schedule, "Epochs of linear warm-up before the cosine decay (fractions allowed).", Min = 0, Max = Limits.MaxEpochs)]
    public double WarmupEpochs { get; init; } = 0;
    [Setting(Schedule, "The learning rate the cosine decays to.", Min = 0, Max = 100)]
    public double MinLearningRate { get; init; } = 0;
    [Setting(Schedule, "Skip each epoch's last, partial batch (a one-image remainder is always skipped).")]
    public bool DropLastBatch { get; init; } = true;

    [Setting(ConfigSections.Optimizer, "adam, sgd (with momentum) or lars (SGD with a per-layer trust ratio, SimCLR's).", Name = "name", Choices = typeof(OptimizerNames))]
    public string Optimizer { get; init; } = OptimizerNames.Adam;
    /// <summary>Null picks the optimiser's usual value: Adam 3e-4, SGD 0.06·B/256, LARS 0.3·B/256.</summary>
    [Setting(ConfigSections.Optimizer, "Peak learning rate; empty picks the optimiser's usual value: Adam 3e-4, SGD 0.06·B/256, LARS 0.3·B/256.", Min = 0, MinExclusive = true, Max = 100)]
    public double? LearningRate { get; init; }
    [Setting(ConfigSections.Optimizer, "SGD and LARS momentum.", Min = 0, Max = 1, MaxExclusive = true)]
    public double Momentum { get; init; } = 0.9;
    [Setting(ConfigSections.Optimizer, "L2 weight decay (LARS: not on biases and normalisation).", Min = 0, Max = 1)]
    public double WeightDecay { get; init; } = 1e-6;
    [Setting(ConfigSections.Optimizer, "Weight decay at the end of the run, reached on a cosine from the weight decay at the start (DINO: 0.04 → 0.4); empty keeps it constant.",
        Min = 0, Max = 1)]
    public double? WeightDecayEnd { get; init; }
    [Setting(ConfigSections.Optimizer, "LARS trust coefficient η.", Min = 0, MinExclusive = true, Max = 1)]
    public double LarsEta { get; init; } = 0.02;

    // SimCLR's CIFAR-10 recipe: colour jitter strength s = 0.5.
    [Setting(Views, "Smallest crop area, as a fraction of the image.", Min = 0, MinExclusive = true, Max = 1)]
    public double CropScaleMin { get; init; } = 0.08;
    [Setting(Views, "Largest crop area, as a fraction of the image.", Min = 0, MinExclusive = true, Max = 1)]
    public double CropScaleMax { get; init; } = 1.0;
    [Setting(Views, "Smallest crop aspect ratio (width / height).", Min = 0, MinExclusive = true, Max = 10)]
    public double CropRatioMin { get; init; } = 3.0 / 4.0;
    [Setting(Views, "Largest crop aspect ratio (width / height).", Min = 0, MinExclusive = true, Max = 10)]
    public double CropRatioMax { get; init; } = 4.0 / 3.0;
    [Setting(Views, "Probability of a horizontal flip.", Min = 0, Max = 1, Why = "it is a probability")]
    public double FlipProbability { get; init; } = 0.5;
    [Setting(Views, "Colour jitter: brightness factor drawn from [1 − b, 1 + b].", Min = 0, Max = 1)]
    public double Brightness { get; init; } = 0.4;
    [Setting(Views, "Colour jitter: contrast factor drawn from [1 − c, 1 + c].", Min = 0, Max = 1)]
    public double Contrast { get; init; } = 0.4;
    [Setting(Views, "Colour jitter: saturation factor drawn from [1 − s, 1 + s].", Min = 0, Max = 1)]
    public double Saturation { get; init; } = 0.4;
    [Setting(Views, "Colour jitter: hue shift drawn from [−h, h] (in turns).", Min = 0, Max = 0.5)]
    public double Hue { get; init; } = 0.1;
    [Setting(Views, "Probability of applying the colour jitter.", Min = 0, Max = 1, Why = "it is a probability")]
    public double ColorJitterProbability { get; init; } = 0.8;
    [Setting(Views, "Probability of turning a view grey.", Min = 0, Max = 1, Why = "it is a probability")]
    public double GrayscaleProbability { get; init; } = 0.2;
    [Setting(Views, "Probability of a Gaussian blur (kernel about a tenth of the image side).", Min = 0, Max = 1, Why = "it is a probability")]
    public double BlurProbability { get; init; } = 0.0;
    [Setting(Views, "Smallest blur sigma, in pixels.", Min = 0, MinExclusive = true, Max = 10)]
    public double BlurSigmaMin { get; init; } = 0.1;
    [Setting(Views, "Largest blur sigma, in pixels.", Min = 0, MinExclusive = true, Max = 10)]
    public double BlurSigmaMax { get; init; } = 2.0;
    [Setting(Views, "Multi-crop: small crops of each image beside its two full-size views (SwAV's and DINO's multi-crop); 0 turns it off.",
        Methods = [MethodNames.SimClr, MethodNames.Vicreg, MethodNames.BarlowTwins, MethodNames.Dino], Min = 0, Max = 8)]
    public int SmallCrops { get; init; }
    [Setting(Views, "Multi-crop: side of a small crop in pixels (below the image size).",
        Methods = [MethodNames.SimClr, MethodNames.Vicreg, MethodNames.BarlowTwins, MethodNames.Dino], Min = 4, Max = 512)]
    public int SmallCropSize { get; init; } = 16;
    [Setting(Views, "Multi-crop: smallest area of a small crop, as a fraction of the image.",
        Methods = [MethodNames.SimClr, MethodNames.Vicreg, MethodNames.BarlowTwins, MethodNames.Dino], Min = 0, MinExclusive = true, Max = 1)]
    public double SmallCropScaleMin { get; init; } = 0.05;
    [Setting(Views, "Multi-crop: largest area of a small crop, as a fraction of the image.",
        Methods = [MethodNames.SimClr, MethodNames.Vicreg, MethodNames.BarlowTwins, MethodNames.Dino], Min = 0, MinExclusive = true, Max = 1)]
    public double SmallCropScaleMax { get; init; } = 0.14;
    [Setting(Views, "Progressive resolution: the full-size views' side in pixels in the first epoch, growing linearly (on multiples of 4 px) to progressiveResolutionEnd over progressiveResolutionEpochs (FFCV's progressive resizing; small images make early epochs cheaper); small crops keep their size and evaluation sees the image size; empty: off.",
        Min = 8, Max = 512)]
    public int? ProgressiveResolutionStart { get; init; }
    [Setting(Views, "Progressive resolution: epochs over which the views grow from progressiveResolutionStart to progressiveResolutionEnd, fewer than the run's so its last epochs train at the end side; empty: the first half of the run (a fork that changes the epochs changes it too; set it to keep the sides).",
        Min = 1, Max = Limits.MaxEpochs)]
    public int? ProgressiveResolutionEpochs { get; init; }
    [Setting(Views, "Progressive resolution: the full-size views' side at the end of the growth, kept for the rest of the run; empty: the image size. Below it, training ends at a lower resolution than evaluation sees: random-resized crops make objects look larger in training than in whole test images, and a smaller training side offsets that (FixRes, Touvron et al. 2019; FFCV trains ImageNet at 192 px and tests at 256) while its epochs cost less.",
        Min = 8, Max = 512)]
    public int? ProgressiveResolutionEnd { get; init; }
    [Setting(Views, "Probability of inverting the pixels above one half; BYOL applies it to its second view only, as in its paper.",
        Min = 0, Max = 1, Why = "it is a probability")]
    public double SolarizeProbability { get; init; } = 0.0;

    [Setting(Evaluation, "Run the kNN monitor every N epochs and after the last (0: never).", Min = 0, Max = Limits.MaxEpochs)]
    public int KnnEveryEpochs { get; init; } = 1;
    [Setting(Evaluation, "Test images (train images where there is no test split) the embedding map shows, projected to 2-D at each kNN evaluation (0: no map).",
        Min = 0, Max = Limits.MaxEmbeddingMapImages, Why = "each map holds every image's neighbours and the dashboard draws every image")]
    public int EmbeddingMapImages { get; init; } = 300;
    [Setting(Evaluation, "Measure label-free health signals (embedding spread, effective rank, view similarities, gradient norm) every N steps (0: never).",
        Min = 0, Max = 1_000_000)]
    public int HealthEverySteps { get; init; } = 50;
    [Setting(Evaluation, "Neighbours the kNN monitor weighs.", Min = 1, Max = Limits.MaxKnnK)]
    public int KnnK { get; init; } = 200;
    [Setting(Evaluation, "Temperature of the kNN monitor's similarity weights.", Min = 0, MinExclusive = true, Max = 10)]
    public double KnnTemperature { get; init; } = 0.1;
    [Setting(Evaluation, "Train a linear classifier on the frozen features at the end.")]
    public bool LinearProbe { get; init; } = true;
    [Setting(Evaluation, "Epochs of the linear probe.", Min = 1, Max = Limits.MaxLinearProbeEpochs)]
    public int LinearProbeEpochs { get; init; } = 100;
    [Setting(Evaluation, "Learning rate of the linear probe (Adam).", Min = 0, MinExclusive = true, Max = 10)]
    public double LinearProbeLearningRate { get; init; } = 1e-3;
    [Setting(Evaluation, "With the linear probe, also train it on 1 % and 10 % of the training labels (class-balanced, seeded subsets): the label-efficiency curve.")]
    public bool LabelEfficiency { get; init; } = true;
    [Setting(Evaluation, "Fine-tune the encoder with a linear head on 1 % and 10 % of the training labels for N epochs at the end (0: never).",
        Min = 0, Max = Limits.MaxFineTuneEpochs, Why = "each epoch trains the whole encoder on the labelled subset")]
    public int FineTuneEpochs { get; init; } = 0;
    [Setting(Evaluation, "Learning rate of fine-tuning (Adam, cosine decay; the head's is ten times as large).", Min = 0, MinExclusive = true, Max = 10)]
    public double FineTuneLearningRate { get; init; } = 1e-4;

    [Setting(Runtime, "Save a checkpoint every N epochs (0: only at the end; a stopped run always saves one).", Min = 0, Max = Limits.MaxEpochs)]
    public int CheckpointEveryEpochs { get; init; } = 1;
    [Setting(Runtime, "auto, cpu, cuda or cuda:N.")]
    public string Device { get; init; } = "auto";
    /// <summary>
    /// fp32; bf16: bfloat16 forward and backward with fp32 master weights, loss and optimiser state; or auto:
    /// bf16 where the device computes it natively (CPU with AVX-512 BF16 or AMX, GPU of compute capability 8.0+), else fp32.
    /// </summary>
    [Setting(Runtime, "fp32, bf16 (fp32 master weights), or auto: bf16 where the device computes it natively, else fp32.", Choices = typeof(PrecisionNames))]
    public string Precision { get; init; } = PrecisionNames.Auto;
    /// <summary>
    /// Feeds the encoder NHWC (channels-last) tensors, the layout oneDNN's CPU convolutions and cuDNN's tensor-core
    /// convolutions prefer. Null (auto): channels-last on a CPU, and on a GPU when the run computes in bf16.
    /// </summary>
    [Setting(Runtime, "NHWC tensors for the encoder; auto: on a CPU, and on a GPU with bf16.")]
    public bool? ChannelsLast { get; init; }
    [Setting(Runtime, "Intra-op threads (0: the library's default); at most the trainer's processors.", Min = 0)]
    public int Threads { get; init; }
    [Setting(Runtime, "Seed of the weights, the data order and the augmentations.")]
    public long Seed { get; init; } = 42;

    public double EffectiveLearningRate => LearningRate ?? Optimizer switch
    {
        OptimizerNames.Sgd => 0.06 * BatchSize / 256.0,
        OptimizerNames.Lars => 0.3 * BatchSize / 256.0,
        _ => 3e-4,
    };
}

public static class MethodNames
{
    public const string SimClr = "simclr";
    public const string Byol = "byol";
    public const string MocoV2 = "moco-v2";
    public const string Vicreg = "vicreg";
    public const string BarlowTwins = "barlow-twins";
    public const string Dino = "dino";
    public static readonly string[] All = [SimClr, Byol, MocoV2, Vicreg, BarlowTwins, Dino];
}

public static class DatasetNames
{
    public const string Cifar10 = "cifar10";
    public const string FashionMnist = "fashion-mnist";
    public const string ImageFolder = "image-folder";
    public const string Synthetic = "synthetic";
    public static readonly string[] All = [Cifar10, FashionMnist, ImageFolder, Synthetic];
}

public static class ModelNames
{
    public const string TinyCnn = "tiny-cnn";
    public const string CompactCnn = "compact-cnn";
    public const string ResNet18 = "resnet18";
    public static readonly string[] All = [TinyCnn, CompactCnn, ResNet18];
}

public static class PrecisionNames
{
    public const string Auto = "auto";
    public const string Fp32 = "fp32";
    public const string Bf16 = "bf16";
    public static readonly string[] All = [Auto, Fp32, Bf16];
}

public static class OptimizerNames
{
    public const string Adam = "adam";
    public const string Sgd = "sgd";
    public const string Lars = "lars";
    public static readonly string[] All = [Adam, Sgd, Lars];
}
