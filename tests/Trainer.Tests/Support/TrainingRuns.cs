using AspireSimClr.Engine;

namespace AspireSimClr.Trainer.Tests.Support;

public static class TrainingRuns
{
    /// <summary>A config that trains in about a second: tiny encoder, small synthetic data.</summary>
    public static TrainingConfig Quick(int epochs = 2) => new()
    {
        Dataset = DatasetNames.Synthetic,
        SyntheticTrainSize = 96,
        SyntheticTestSize = 32,
        ImageSize = 16,
        Model = ModelNames.TinyCnn,
        ProjectionHiddenDim = 32,
        ProjectionDim = 16,
        BatchSize = 32,
        Epochs = epochs,
        LearningRate = 1e-3,
        KnnK = 10,
        LinearProbeEpochs = 5,
        Threads = 2,
    };

    public static async Task<List<TrainingEvent>> CollectAsync(IAsyncEnumerable<TrainingEvent> events, Func<TrainingEvent, bool>? stopAfter = null, CancellationTokenSource? stop = null)
    {
        var list = new List<TrainingEvent>();
        await foreach (var e in events)
        {
            list.Add(e);
            if (stopAfter?.Invoke(e) == true) stop!.Cancel();
        }
        return list;
    }
}
