using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Optimization;
using static TorchSharp.torch;

namespace AspireSimClr.Engine;

/// <summary>
/// The parts that train, built from a config whose runtime choices are resolved: the method (with
/// its networks, initialised from the global generator), the optimiser over its online network,
/// and the step. The training loop, the benchmarks and tests build them the same way here.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private TrainingSession(ISslMethod method, ITrainingOptimizer optimizer, TrainingStep step)
    {
        Method = method;
        Optimizer = optimizer;
        Step = step;
    }

    public ISslMethod Method { get; }
    public ITrainingOptimizer Optimizer { get; }
    public TrainingStep Step { get; }

    public static TrainingSession Create(TrainingConfig config, Normalization normalization, Device device)
    {
        var method = SslMethods.Create(config, device);
        var optimizer = OptimizerFactory.Create(config, method.Online.parameters());
        var step = new TrainingStep(config, method, optimizer, normalization, device);
        method.Online.train();
        return new TrainingSession(method, optimizer, step);
    }

    public void Dispose()
    {
        Step.Dispose();
        Optimizer.Dispose();
        Method.Dispose();
    }
}
