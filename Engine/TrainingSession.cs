using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Flat;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Optimization;
using static TorchSharp.torch;

namespace AspireSimClr.Engine;

/// <summary>
/// The parts that train, built from a config whose runtime choices are resolved: the method (with
/// its networks, initialised from the global generator), its online network moved into flat buffers,
/// the optimiser over them, and the step. The training loop, the benchmarks and tests build them the same way here.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private readonly FlatNetwork _online;

    private TrainingSession(ISslMethod method, FlatNetwork online, ITrainingOptimizer optimizer, TrainingStep step)
    {
        _online = online;
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
        var online = FlatNetwork.Adopt(method.Online);
        var optimizer = OptimizerFactory.Create(config, online);
        var step = new TrainingStep(config, method, online, optimizer, normalization, device);
        method.Online.train();
        return new TrainingSession(method, online, optimizer, step);
    }

    public void Dispose()
    {
        Step.Dispose();
        Optimizer.Dispose();
        Method.Dispose();
        _online.Dispose();
    }
}
