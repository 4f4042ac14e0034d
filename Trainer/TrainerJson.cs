using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AspireSimClr.Trainer.Api;
using AspireSimClr.Trainer.Cli;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Checkpoints;

namespace AspireSimClr.Trainer;

/// <summary>
/// Source-generated JSON metadata for every type the trainer writes or reads as JSON: CLI output,
/// checkpoints, the run store, HTTP bodies and hub messages. With it the trainer needs no
/// reflection-based serialisation, which a trimmed publish (scripts/gpu/make-gpu-bundle.sh) turns off.
/// It supplies metadata only: each use keeps its own options (naming, enum and number handling).
/// </summary>
// CLI, checkpoints, run store
[JsonSerializable(typeof(TrainingEvent))]
[JsonSerializable(typeof(TrainingPosition))]
[JsonSerializable(typeof(TrainingConfig))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
// Single settings, which the API reads one by one (a whole config converts itself)
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(double?))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(bool?))]
[JsonSerializable(typeof(BenchCommand.BenchReport))]
[JsonSerializable(typeof(BenchDataCommand.DataBenchReport))]
[JsonSerializable(typeof(EvalCommand.EvalReport))]
[JsonSerializable(typeof(ExportCommand.ExportReport))]
// HTTP API (declared and runtime types of the results) and hub messages
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Run))]
[JsonSerializable(typeof(RunRuntime))]
[JsonSerializable(typeof(IReadOnlyList<RunWarning>))]
[JsonSerializable(typeof(HealthValues))]
[JsonSerializable(typeof(IReadOnlyList<Run>))]
[JsonSerializable(typeof(List<Run>))]
[JsonSerializable(typeof(MetricsResponse))]
[JsonSerializable(typeof(RunChanged))]
[JsonSerializable(typeof(MetricBatch))]
[JsonSerializable(typeof(List<DatasetStatus>))]
[JsonSerializable(typeof(SystemStatus))]
[JsonSerializable(typeof(NewRunRequest))]
[JsonSerializable(typeof(RunEdit))]
[JsonSerializable(typeof(NewSweepRequest))]
[JsonSerializable(typeof(AugmentationPreview))]
[JsonSerializable(typeof(EmbeddingMapIndex))]
[JsonSerializable(typeof(EmbeddingMap))]
[JsonSerializable(typeof(SearchIndexSummary))]
[JsonSerializable(typeof(IReadOnlyList<RetrievalPrecision>))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(IReadOnlyList<NearDuplicateView>))]
[JsonSerializable(typeof(IReadOnlyList<SweepAxis>))]
[JsonSerializable(typeof(IReadOnlyList<Sweep>))]
[JsonSerializable(typeof(SweepDetail))]
[JsonSerializable(typeof(EarlyStopping))]
[JsonSerializable(typeof(SweepSearch))]
[JsonSerializable(typeof(Alert))]
internal sealed partial class TrainerJsonContext : JsonSerializerContext;

internal static class TrainerJson
{
    /// <summary>Makes <paramref name="options"/> resolve types from <see cref="TrainerJsonContext"/> and returns them.</summary>
    public static JsonSerializerOptions WithTrainerTypes(this JsonSerializerOptions options)
    {
        options.TypeInfoResolver = TrainerJsonContext.Default;
        return options;
    }

    /// <summary>The metadata of <typeparamref name="T"/> under <paramref name="options"/>.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
