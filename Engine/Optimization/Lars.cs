using static TorchSharp.torch;
using TorchSharp.Modules;

namespace AspireSimClr.Engine.Optimization;

/// <summary>
/// LARS (You et al. 2017) as SimCLR uses it: SGD with momentum whose update for each weight tensor is
/// scaled by the trust ratio η·‖w‖ / ‖∇w + λw‖. Biases and normalisation parameters (every 1-d
/// parameter) get neither the adaptation nor weight decay.
/// </summary>
public sealed class Lars : ITrainingOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor?[] _momentum;
    private readonly double _momentumFactor, _weightDecay, _eta;

    public Lars(IEnumerable<Parameter> parameters, double learningRate, double momentum, double weightDecay, double eta)
    {
        _parameters = parameters.Where(p => p.requires_grad).ToArray();
        _momentum = new Tensor?[_parameters.Length];
        LearningRate = learningRate;
        _momentumFactor = momentum;
        _weightDecay = weightDecay;
        _eta = eta;
    }

    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad?.zero_();
    }

    public void Step()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.grad is not { } grad) continue;
            using var scope = NewDisposeScope();
            var update = grad;
            if (p.dim() > 1)
            {
                if (_weightDecay > 0) update = update.add(p, alpha: _weightDecay);
                var weightNorm = p.norm();
                var updateNorm = update.norm();
                var trust = where(weightNorm.gt(0).logical_and(updateNorm.gt(0)), weightNorm * _eta / updateNorm, ones_like(weightNorm));
                update = update.mul(trust);
            }
            if (_momentum[i] is null)
            {
                // The buffer lives as long as the optimiser, not the step's dispose scope.
                _momentum[i] = update.detach().clone().DetachFromDisposeScope();
            }
            else
            {
                _momentum[i]!.mul_(_momentumFactor).add_(update);
            }
            p.add_(_momentum[i]!, alpha: -LearningRate);
        }
    }

    public void SaveState(BinaryWriter writer)
    {
        writer.Write(_momentum.Length);
        foreach (var buffer in _momentum)
        {
            writer.Write(buffer is not null);
            if (buffer is null) continue;
            using var host = buffer.to(CPU);
            var values = host.data<float>().ToArray();
            writer.Write(values.Length);
            foreach (var v in values) writer.Write(v);
        }
    }

    public void LoadState(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count != _momentum.Length) throw new InvalidDataException($"LARS state has {count} buffers, the model has {_momentum.Length} parameters");
        for (int i = 0; i < count; i++)
        {
            _momentum[i]?.Dispose();
            _momentum[i] = null;
            if (!reader.ReadBoolean()) continue;
            int length = reader.ReadInt32();
            var values = new float[length];
            for (int j = 0; j < length; j++) values[j] = reader.ReadSingle();
            _momentum[i] = tensor(values, _parameters[i].shape, device: _parameters[i].device).DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
        foreach (var buffer in _momentum) buffer?.Dispose();
    }
}
