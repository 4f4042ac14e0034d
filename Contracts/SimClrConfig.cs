namespace AspireSimClr.Contracts;

/// <summary>Every hyperparameter of a run, with the defaults of a CPU-friendly SimCLR run on CIFAR-10.</summary>
public sealed record SimClrConfig
{
    // Method
    /// <summary>The self-supervised method: simclr, byol, moco-v2 or vicreg (<see cref="MethodNames"/>).</summary>
    public string Method { get; init; } = MethodNames.SimClr;
    /// <summary>BYOL and MoCo v2: the target network's exponential-moving-average rate; BYOL raises it to 1 on a cosine schedule.</summary>
    public double TargetMomentum { get; init; } = 0.99;
    /// <summary>BYOL: hidden width of the predictor MLP q(·) (its output has the projection's width).</summary>
    public int PredictorHiddenDim { get; init; } = 512;
    /// <summary>MoCo v2: negatives kept from earlier batches (keys of the momentum encoder).</summary>
    public int QueueSize { get; init; } = 4096;
    /// <summary>VICReg: weight of the invariance (mean squared distance between the views' embeddings) term.</summary>
    public double VicregInvarianceWeight { get; init; } = 25;
    /// <summary>VICReg: weight of the variance (hinge on each dimension's standard deviation) term.</summary>
    public double VicregVarianceWeight { get; init; } = 25;
    /// <summary>VICReg: weight of the covariance (off-diagonal covariance squared) term.</summary>
    public double VicregCovarianceWeight { get; init; } = 1;

    // Data
    public string Dataset { get; init; } = DatasetNames.Cifar10;
    public string? DataDir { get; init; }
    public string? CacheDir { get; init; }
    public bool Download { get; init; } = true;
    public int ImageSize { get; init; } = 32;
    public int? TrainSubset { get; init; }
    public int? TestSubset { get; init; }
    public int SyntheticTrainSize { get; init; } = 2048;
    public int SyntheticTestSize { get; init; } = 512;

    // Model
    public string Model { get; init; } = ModelNames.CompactCnn;
    /// <summary>Multiplies every convolution's channel count (rounded to a multiple of 8); 1 is the encoder as published.</summary>
    public double EncoderWidth { get; init; } = 1.0;
    public int ProjectionHiddenDim { get; init; } = 512;
    public int ProjectionDim { get; init; } = 128;

    // Optimisation
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 256;
    public double Temperature { get; init; } = 0.5;
    public string Optimizer { get; init; } = OptimizerNames.Adam;
    /// <summary>Null picks the optimiser's usual value: Adam 3e-4, SGD 0.06·B/256, LARS 0.3·B/256.</summary>
    public double? LearningRate { get; init; }
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-6;
    public double LarsEta { get; init; } = 0.02;
    public double WarmupEpochs { get; init; } = 0;
    public double MinLearningRate { get; init; } = 0;
    public bool DropLastBatch { get; init; } = true;

    // Augmentation (SimCLR's CIFAR-10 recipe: colour jitter strength s = 0.5)
    public double CropScaleMin { get; init; } = 0.08;
    public double CropScaleMax { get; init; } = 1.0;
    public double CropRatioMin { get; init; } = 3.0 / 4.0;
    public double CropRatioMax { get; init; } = 4.0 / 3.0;
    public double FlipProbability { get; init; } = 0.5;
    public double Brightness { get; init; } = 0.4;
    public double Contrast { get; init; } = 0.4;
    public double Saturation { get; init; } = 0.4;
    public double Hue { get; init; } = 0.1;
    public double ColorJitterProbability { get; init; } = 0.8;
    public double GrayscaleProbability { get; init; } = 0.2;
    public double BlurProbability { get; init; } = 0.0;
    public double BlurSigmaMin { get; init; } = 0.1;
    public double BlurSigmaMax { get; init; } = 2.0;
    /// <summary>Inverts pixels above one half; BYOL applies it to its second view only, as in its paper.</summary>
    public double SolarizeProbability { get; init; } = 0.0;

    // Evaluation
    public int KnnEveryEpochs { get; init; } = 1;
    public int KnnK { get; init; } = 200;
    public double KnnTemperature { get; init; } = 0.1;
    public bool LinearProbe { get; init; } = true;
    public int LinearProbeEpochs { get; init; } = 100;
    public double LinearProbeLearningRate { get; init; } = 1e-3;

    // Checkpoints
    public int CheckpointEveryEpochs { get; init; } = 1;

    // Runtime
    public string Device { get; init; } = "auto";
    /// <summary>
    /// fp32; bf16: bfloat16 forward and backward with fp32 master weights, loss and optimiser state; or auto:
    /// bf16 where the device computes it natively (CPU with AVX-512 BF16 or AMX, GPU of compute capability 8.0+), else fp32.
    /// </summary>
    public string Precision { get; init; } = PrecisionNames.Auto;
    /// <summary>
    /// Feeds the encoder NHWC (channels-last) tensors, the layout oneDNN's CPU convolutions and cuDNN's tensor-core
    /// convolutions prefer. Null (auto): channels-last on a CPU, and on a GPU when the run computes in bf16.
    /// </summary>
    public bool? ChannelsLast { get; init; }
    public int Threads { get; init; }
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
    public static readonly string[] All = [SimClr, Byol, MocoV2, Vicreg];

    /// <summary>Settings that only some methods read, and which; every other setting applies to all methods.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> MethodSpecificSettings = new Dictionary<string, string[]>
    {
        [nameof(SimClrConfig.Temperature)] = [SimClr, MocoV2],
        [nameof(SimClrConfig.TargetMomentum)] = [Byol, MocoV2],
        [nameof(SimClrConfig.PredictorHiddenDim)] = [Byol],
        [nameof(SimClrConfig.QueueSize)] = [MocoV2],
        [nameof(SimClrConfig.VicregInvarianceWeight)] = [Vicreg],
        [nameof(SimClrConfig.VicregVarianceWeight)] = [Vicreg],
        [nameof(SimClrConfig.VicregCovarianceWeight)] = [Vicreg],
    };

    /// <summary>Whether <paramref name="method"/> reads the setting named <paramref name="property"/>.</summary>
    public static bool Uses(string method, string property) =>
        !MethodSpecificSettings.TryGetValue(property, out var methods) || methods.Contains(method);
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
