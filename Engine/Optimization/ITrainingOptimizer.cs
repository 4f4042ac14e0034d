namespace AspireSimClr.Engine.Optimization;

/// <summary>The optimiser as the training loop needs it: a step, a settable learning rate, and state that checkpoints.</summary>
public interface ITrainingOptimizer : IDisposable
{
    double LearningRate { get; set; }
    /// <summary>The L2 weight decay of the next step (a schedule may change it step by step).</summary>
    double WeightDecay { get; set; }
    void ZeroGrad();
    void Step();
    void SaveState(BinaryWriter writer);
    void LoadState(BinaryReader reader);
}
