using System.Diagnostics;
using System.Diagnostics.Metrics;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Runtime;
using AspireSimClr.Trainer.Runs;

namespace AspireSimClr.Trainer.Telemetry;

/// <summary>
/// The trainer's OpenTelemetry instruments: a Meter with training metrics tagged by run, model and
/// dataset, and an ActivitySource with one trace per run, a span per epoch and per evaluation.
/// </summary>
public sealed class TrainerTelemetry : IDisposable
{
    public const string Name = "AspireSimClr.Trainer";

    private readonly Meter _meter;
    private readonly Gauge<double> _loss;
    private readonly Gauge<double> _learningRate;
    private readonly Gauge<double> _imagesPerSecond;
    private readonly Histogram<double> _epochDuration;
    private readonly Gauge<double> _knnAccuracy;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _healthWarnings;
    private readonly Gauge<double> _effectiveRank;
    private readonly Gauge<double> _gradientNorm;

    public TrainerTelemetry(IMeterFactory meterFactory, RunStore store)
    {
        _meter = meterFactory.Create(Name);
        _loss = _meter.CreateGauge<double>("simclr.loss", description: "NT-Xent loss of the latest training step");
        _learningRate = _meter.CreateGauge<double>("simclr.learning_rate", description: "Learning rate of the latest step");
        _imagesPerSecond = _meter.CreateGauge<double>("simclr.images_per_second", unit: "{image}/s", description: "Training throughput, both views counted");
        _epochDuration = _meter.CreateHistogram<double>("simclr.epoch.duration", unit: "s", description: "Wall time of one epoch");
        _knnAccuracy = _meter.CreateGauge<double>("simclr.knn.top1", description: "kNN top-1 accuracy on the test split (0–1)");
        _steps = _meter.CreateCounter<long>("simclr.steps", unit: "{step}", description: "Training steps taken");
        _healthWarnings = _meter.CreateCounter<long>("simclr.health.warnings", unit: "{warning}", description: "Health rules that fired (tag health.code: collapse, nan-risk, knn-plateau, throughput-stall)");
        _effectiveRank = _meter.CreateGauge<double>("simclr.health.effective_rank", description: "Effective rank (RankMe) of the latest measured batch of embeddings; near 1 means collapse");
        _gradientNorm = _meter.CreateGauge<double>("simclr.health.gradient_norm", description: "Gradient norm of the latest measured step");
        _meter.CreateObservableGauge("simclr.runs.active", () => store.Runs.List(RunStatus.Running).Count, unit: "{run}", description: "Runs training now");
        _meter.CreateObservableGauge("simclr.runs.queued", () => store.Runs.List(RunStatus.Queued).Count, unit: "{run}", description: "Runs waiting in the queue");
        _meter.CreateObservableGauge("simclr.process.memory", () => ProcessMemory.Read().ResidentBytes, unit: "By", description: "Trainer resident memory");
        _meter.CreateObservableGauge("simclr.gpu.memory", () => NvidiaGpus.Read().Select(g => new Measurement<long>(g.ProcessBytes ?? g.UsedBytes,
            new KeyValuePair<string, object?>("gpu.index", g.Index), new KeyValuePair<string, object?>("gpu.name", g.Name))),
            unit: "By", description: "GPU memory held by the trainer (by the whole GPU where the driver cannot attribute it); no points without an NVIDIA GPU");
    }

    public static readonly ActivitySource Source = new(Name);

    /// <summary>Starts the run's trace; the returned tracker follows its epochs and evaluations.</summary>
    public RunTelemetry StartRun(Run run) => new(this, run);

    public void Dispose() => _meter.Dispose();

    public sealed class RunTelemetry : IDisposable
    {
        private readonly TrainerTelemetry _owner;
        private readonly TagList _tags;
        private readonly Activity? _run;
        private Activity? _epoch;

        internal RunTelemetry(TrainerTelemetry owner, Run run)
        {
            _owner = owner;
            _tags = new TagList { { "run.id", run.Id }, { "model", run.Config.Model }, { "dataset", run.Config.Dataset } };
            _run = Source.StartActivity("simclr.run", ActivityKind.Internal, parentContext: default, tags: _tags);
            _run?.SetTag("run.name", run.Name);
        }

        public void Observe(TrainingEvent e)
        {
            switch (e)
            {
                case StepCompleted s:
                    _epoch ??= StartChild($"simclr.epoch {s.Epoch + 1}", ("epoch", s.Epoch + 1));
                    _owner._steps.Add(1, _tags);
                    _owner._loss.Record(s.Loss, _tags);
                    _owner._learningRate.Record(s.LearningRate, _tags);
                    break;
                case EpochCompleted s:
                    _owner._epochDuration.Record(s.Duration.TotalSeconds, _tags);
                    _owner._imagesPerSecond.Record(s.ImagesPerSecond, _tags);
                    _epoch?.SetTag("loss", s.MeanLoss);
                    if (s.DeviceMemoryBytes is { } deviceMemory) _epoch?.SetTag("device_memory_bytes", deviceMemory);
                    _epoch?.Stop();
                    _epoch = null;
                    break;
                case HealthMeasured s:
                    _owner._effectiveRank.Record(s.Health.EffectiveRank, _tags);
                    _owner._gradientNorm.Record(s.GradientNorm, _tags);
                    break;
                case HealthWarning s:
                    var warningTags = _tags;
                    warningTags.Add("health.code", s.Code);
                    _owner._healthWarnings.Add(1, warningTags);
                    _run?.AddEvent(new ActivityEvent("simclr.health.warning", s.Time, new ActivityTagsCollection
                    {
                        { "health.code", s.Code }, { "health.message", s.Message }, { "epoch", s.Epoch + 1 }, { "global_step", s.GlobalStep },
                    }));
                    break;
                case EvaluationCompleted s:
                    using (var evaluation = StartChild($"simclr.evaluation {s.Kind}", ("evaluation", s.Kind)))
                    {
                        evaluation?.SetStartTime((s.Time - s.Duration).UtcDateTime);
                        evaluation?.SetTag("top1", s.Top1);
                        evaluation?.SetTag("train_images", s.TrainImages);
                        evaluation?.SetTag("test_images", s.TestImages);
                    }
                    if (s.Kind == EvaluationKinds.Knn) _owner._knnAccuracy.Record(s.Top1, _tags);
                    break;
            }
        }

        public void Fail(string reason) => _run?.SetStatus(ActivityStatusCode.Error, reason);

        private Activity? StartChild(string name, (string Key, object Value) tag)
        {
            if (_run is null) return null;
            var child = Source.StartActivity(name, ActivityKind.Internal, _run.Context, _tags);
            child?.SetTag(tag.Key, tag.Value);
            return child;
        }

        public void Dispose()
        {
            _epoch?.Stop();
            _run?.Stop();
        }
    }
}
