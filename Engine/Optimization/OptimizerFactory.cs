using AspireSimClr.Engine.Flat;

namespace AspireSimClr.Engine.Optimization;

public static class OptimizerFactory
{
    /// <param name="network">The online network in flat buffers, one dtype (fp32), with gradients.</param>
    public static ITrainingOptimizer Create(TrainingConfig config, FlatNetwork network)
    {
        double lr = config.EffectiveLearningRate;
        return config.Optimizer switch
        {
            OptimizerNames.Adam => new Adam(network, lr, config.WeightDecay),
            OptimizerNames.Sgd => new Sgd(network, lr, config.Momentum, config.WeightDecay),
            OptimizerNames.Lars => new Lars(network, lr, config.Momentum, config.WeightDecay, config.LarsEta),
            _ => throw new InvalidConfigException([new ConfigError(nameof(config.Optimizer), $"unknown optimizer '{config.Optimizer}'.")]),
        };
    }
}
