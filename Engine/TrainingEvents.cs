using System.Text.Json.Serialization;

namespace AspireSimClr.Engine;

/// <summary>What the engine reports while it trains; consumers (CLI, service) decide what to do with it.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RunStarted), "started")]
[JsonDerivedType(typeof(StepCompleted), "step")]
[JsonDerivedType(typeof(EpochCompleted), "epoch")]
[JsonDerivedType(typeof(HealthMeasured), "health")]
[JsonDerivedType(typeof(HealthWarning), "warning")]
[JsonDerivedType(typeof(EvaluationCompleted), "evaluation")]
[JsonDerivedType(typeof(EmbeddingMapped), "embedding")]
[JsonDerivedType(typeof(CheckpointSaved), "checkpoint")]
[JsonDerivedType(typeof(RunStopped), "stopped")]
[JsonDerivedType(typeof(RunCompleted), "completed")]
public abstract record TrainingEvent
{
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>DeviceName is the GPU's name (or "CPU"); BatchPlacement says how batches reach the device.</summary>
public sealed record RunStarted(
    string Device, string DeviceName, string BatchPlacement, string Model, long EncoderParameters, long TotalParameters,
    string TrainSource, int TrainImages, string? TestSource, int TestImages,
    int StepsPerEpoch, int StartEpoch, int StartBatch, long StartGlobalStep, bool Resumed,
    string Precision, bool ChannelsLast, string RuntimeReason, string Method) : TrainingEvent;

public sealed record StepCompleted(int Epoch, int Step, int StepsPerEpoch, long GlobalStep, double Loss, double LearningRate, double ImagesPerSecond) : TrainingEvent;

/// <summary>Label-free signals of one batch (see <see cref="Health.EmbeddingHealth"/>) and the gradient norm of its step.</summary>
public sealed record HealthMeasured(int Epoch, long GlobalStep, Health.EmbeddingHealth Health, double GradientNorm) : TrainingEvent;

/// <summary>A health rule fired (<see cref="Health.HealthMonitor"/>); raised once per code and run.</summary>
public sealed record HealthWarning(int Epoch, long GlobalStep, string Code, string Message) : TrainingEvent;

public sealed record EpochCompleted(int Epoch, int Epochs, double MeanLoss, double LearningRate, double ImagesPerSecond, TimeSpan Duration, TimeSpan EstimatedRemaining, long ResidentMemoryBytes, long? DeviceMemoryBytes) : TrainingEvent;

/// <summary>kind is one of <see cref="EvaluationKinds"/>; the image counts state exactly which (sub)sets were used.</summary>
public sealed record EvaluationCompleted(int Epoch, string Kind, double Top1, int TrainImages, int TestImages, TimeSpan Duration) : TrainingEvent;

/// <summary>An embedding map of the sample's features after epoch <paramref name="Epoch"/> (0-based) was stored in the run folder.</summary>
public sealed record EmbeddingMapped(int Epoch, int Images, IReadOnlyList<double> ExplainedVariance) : TrainingEvent;

public sealed record CheckpointSaved(int Epoch, int BatchInEpoch, string Path) : TrainingEvent;

public sealed record RunStopped(int Epoch, int BatchInEpoch, string? CheckpointPath) : TrainingEvent;

public sealed record RunCompleted(int Epochs, double FinalLoss, double? KnnTop1, double? LinearTop1, TimeSpan Duration, string? CheckpointPath) : TrainingEvent;

public sealed class TrainingDivergedException(string message) : Exception(message);
