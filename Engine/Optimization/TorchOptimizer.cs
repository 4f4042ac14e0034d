using TorchSharp.Modules;

namespace AspireSimClr.Engine.Optimization;

/// <summary>Adam or SGD from TorchSharp behind <see cref="ITrainingOptimizer"/>.</summary>
public sealed class TorchOptimizer(OptimizerHelper optimizer) : ITrainingOptimizer
{
    public double LearningRate
    {
        get => optimizer.ParamGroups.First().LearningRate;
        set
        {
            foreach (var group in optimizer.ParamGroups) group.LearningRate = value;
        }
    }

    public void ZeroGrad() => optimizer.zero_grad();
    public void Step() => optimizer.step();
    public void SaveState(BinaryWriter writer) => optimizer.save_state_dict(writer);
    public void LoadState(BinaryReader reader) => optimizer.load_state_dict(reader);
    public void Dispose() => optimizer.Dispose();
}
