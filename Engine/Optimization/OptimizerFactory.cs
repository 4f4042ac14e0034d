using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Optimization;

public static class OptimizerFactory
{
    public static ITrainingOptimizer Create(TrainingConfig config, IEnumerable<Parameter> parameters)
    {
        var list = parameters.ToList();
        double lr = config.EffectiveLearningRate;
        return config.Optimizer switch
        {
            OptimizerNames.Adam => new TorchOptimizer(optim.Adam(list, lr: lr, weight_decay: config.WeightDecay)),
            OptimizerNames.Sgd => new TorchOptimizer(optim.SGD(list, lr, momentum: config.Momentum, weight_decay: config.WeightDecay)),
            OptimizerNames.Lars => new Lars(list, lr, config.Momentum, config.WeightDecay, config.LarsEta),
            _ => throw new InvalidConfigException([new ConfigError(nameof(config.Optimizer), $"unknown optimizer '{config.Optimizer}'.")]),
        };
    }
}
