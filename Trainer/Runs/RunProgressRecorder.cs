using AspireSimClr.Engine;

namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// Turns one run's engine events into numbered metric points and an updated run summary, and
/// stores both, so that what is broadcast afterwards is already readable over REST.
/// </summary>
public sealed class RunProgressRecorder(RunStore store, string runId)
{
    private long _sequence = store.History.LastSequence(runId);
    private readonly List<MetricPoint> _pending = [];

    /// <summary>How many recorded points the run's start superseded (0 for a first start or an exact continuation).</summary>
    public int SupersededPoints { get; private set; }

    /// <summary>Records the event; returns the points that are now stored (possibly none yet: steps are written in batches).</summary>
    public IReadOnlyList<MetricPoint> Record(TrainingEvent e, bool flush)
    {
        switch (e)
        {
            case RunStarted s:
                // Whatever was recorded after the position training starts from is trained again now.
                SupersededPoints = store.History.SupersedeAfter(runId, s.StartEpoch, s.StartGlobalStep);
                store.Runs.Edit(runId, r => r with { Runtime = new RunRuntime(s.Device, s.DeviceName, s.Precision, s.ChannelsLast, s.RuntimeReason) });
                break;
            case StepCompleted s:
                _pending.Add(new MetricPoint
                {
                    Sequence = ++_sequence, Kind = MetricKinds.Step, Epoch = s.Epoch, Step = s.Step, GlobalStep = s.GlobalStep,
                    Loss = s.Loss, LearningRate = s.LearningRate, ImagesPerSecond = s.ImagesPerSecond, Time = s.Time,
                });
                break;
            case EpochCompleted s:
                _pending.Add(new MetricPoint
                {
                    Sequence = ++_sequence, Kind = MetricKinds.Epoch, Epoch = s.Epoch, Loss = s.MeanLoss, LearningRate = s.LearningRate,
                    ImagesPerSecond = s.ImagesPerSecond, DurationSeconds = s.Duration.TotalSeconds, Time = s.Time,
                });
                store.Runs.Edit(runId, r => r with
                {
                    EpochsCompleted = s.Epoch + 1, LastLoss = s.MeanLoss, ImagesPerSecond = s.ImagesPerSecond, EtaSeconds = s.EstimatedRemaining.TotalSeconds,
                });
                flush = true;
                break;
            case HealthMeasured s:
                _pending.Add(new MetricPoint
                {
                    Sequence = ++_sequence, Kind = MetricKinds.Health, Epoch = s.Epoch, GlobalStep = s.GlobalStep, Time = s.Time,
                    Health = new HealthValues(s.Health.NormalizedStd, s.Health.UniformStd, s.Health.EffectiveRank, s.Health.PositiveCosine,
                        s.Health.NegativeCosine, s.Health.Alignment, s.Health.Uniformity, s.GradientNorm),
                });
                break;
            case HealthWarning s:
                store.Runs.Edit(runId, r => r.Warnings.Any(w => w.Code == s.Code) ? r
                    : r with { Warnings = [.. r.Warnings, new RunWarning(s.Code, s.Message, s.Epoch, s.GlobalStep, s.Time)] });
                flush = true;
                break;
            case EvaluationCompleted s:
                _pending.Add(new MetricPoint
                {
                    Sequence = ++_sequence, Kind = MetricKinds.Evaluation, Epoch = s.Epoch, Evaluation = s.Kind, Top1 = s.Top1,
                    DurationSeconds = s.Duration.TotalSeconds, Time = s.Time,
                });
                // Label-efficiency points (linear@1%, fine-tune@10%, …) are only metrics: the run's figures are kNN and the full probe.
                store.Runs.Edit(runId, r => s.Kind switch
                {
                    EvaluationKinds.Knn => r with { BestKnnTop1 = Math.Max(r.BestKnnTop1 ?? 0, s.Top1) },
                    EvaluationKinds.Linear => r with { LinearTop1 = s.Top1 },
                    _ => r,
                });
                flush = true;
                break;
            case EmbeddingMapped s:
                _pending.Add(new MetricPoint { Sequence = ++_sequence, Kind = MetricKinds.Embedding, Epoch = s.Epoch, Time = s.Time });
                flush = true;
                break;
            case CheckpointSaved:
                store.Runs.Edit(runId, r => r with { HasCheckpoint = true });
                break;
            case RunStopped s when s.CheckpointPath is not null:
                store.Runs.Edit(runId, r => r with { HasCheckpoint = true });
                flush = true;
                break;
            case RunCompleted:
                flush = true;
                break;
        }
        return flush ? Flush() : [];
    }

    public IReadOnlyList<MetricPoint> Flush()
    {
        if (_pending.Count == 0) return [];
        var points = _pending.ToArray();
        _pending.Clear();
        store.History.Append(runId, points);
        var lastStep = points.LastOrDefault(p => p.Kind == MetricKinds.Step);
        if (lastStep is not null) store.Runs.Edit(runId, r => r with { LastLoss = lastStep.Loss });
        return points;
    }
}
