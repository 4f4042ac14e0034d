namespace AspireSimClr.Contracts;

/// <summary>
/// Upper bounds on run settings: generous for real work, but low enough that no single value can
/// exhaust the machine (threads, memory) or keep it busy for years (epochs).
/// </summary>
public static class Limits
{
    public const int MaxPathLength = 4096;
    public const int MaxImages = 10_000_000;
    public const int MaxSyntheticImages = 1_000_000;
    public const long MaxSyntheticBytes = 4L << 30;
    public const int MaxProjectionDim = 16_384;
    public const double MinEncoderWidth = 0.25;
    public const double MaxEncoderWidth = 4;
    public const int MaxEpochs = 10_000;
    public const int MaxBatchSize = 16_384;
    public const int MaxEmbeddingMapImages = 2_000;
    public const int MaxSweepRuns = 64;
    /// <summary>MoCo's queue: 1M keys of 128 floats is 512 MiB.</summary>
    public const int MaxQueueSize = 1_048_576;
    public const int MaxKnnK = 10_000;
    public const int MaxLinearProbeEpochs = 1_000;
    public const int MaxFineTuneEpochs = 1_000;

    /// <summary>More threads than processors only slows training down.</summary>
    public static int MaxThreads => Environment.ProcessorCount;
}
