using AspireSimClr.Engine.Flat;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Optimization;

/// <summary>
/// SGD with (heavy-ball) momentum and L2 weight decay, as TorchSharp's and PyTorch's <c>SGD</c> define it,
/// on the network's flat buffer. Its state is saved in TorchSharp's <c>SGD</c> format, so checkpoints of
/// earlier versions load.
/// </summary>
public sealed class Sgd : ITrainingOptimizer
{
    private readonly FlatNetwork _network;
    private readonly FlatBuffer _parameters;
    private readonly Tensor? _velocity;
    private readonly double _momentum;
    private bool _stepped;

    public Sgd(FlatNetwork network, double learningRate, double momentum, double weightDecay)
    {
        _network = network;
        _parameters = network.SingleParameterBuffer;
        // Zero before the first step gives the first step's gradient exactly, as PyTorch's buffer made from it does.
        _velocity = momentum != 0 ? zeros_like(_parameters.Values).DetachFromDisposeScope() : null;
        LearningRate = learningRate;
        _momentum = momentum;
        WeightDecay = weightDecay;
    }

    public double LearningRate { get; set; }

    public double WeightDecay { get; set; }

    public void ZeroGrad() => _network.ZeroGradients();

    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var gradient = WeightDecay != 0 ? _parameters.Gradients!.add(_parameters.Values, alpha: WeightDecay) : _parameters.Gradients!;
        var update = _velocity is null ? gradient : _velocity.mul_(_momentum).add_(gradient);
        _parameters.Values.add_(update, alpha: -LearningRate);
        _stepped = true;
    }

    public void SaveState(BinaryWriter writer)
    {
        using var file = NewFile();
        foreach (var (state, slice, parameter) in States(file))
        {
            if (_velocity is null || !_stepped) continue;
            using var velocity = _velocity.narrow(0, slice.Offset, slice.Length);
            state.momentum_buffer = velocity.view(parameter.shape).clone().DetachFromDisposeScope();
        }
        file.save_state_dict(writer);
    }

    public void LoadState(BinaryReader reader)
    {
        using var file = NewFile();
        file.load_state_dict(reader);
        using var noGrad = no_grad();
        _stepped = false;
        foreach (var (state, slice, _) in States(file))
        {
            if (_velocity is null) continue;
            using var velocity = _velocity.narrow(0, slice.Offset, slice.Length);
            if (state.momentum_buffer is null) velocity.zero_();
            else
            {
                velocity.copy_(state.momentum_buffer.view(-1));
                _stepped = true;
            }
        }
    }

    /// <summary>TorchSharp's SGD over the same parameters, only to write and read its file format.</summary>
    private TorchSharp.Modules.SGD NewFile() =>
        optim.SGD(_network.ParametersInModuleOrder.Select(p => p.Parameter), LearningRate, momentum: _momentum, weight_decay: WeightDecay);

    private IEnumerable<(TorchSharp.Modules.SGD.State State, FlatSlice Slice, TorchSharp.Modules.Parameter Parameter)> States(TorchSharp.Modules.SGD file) =>
        file.state_dict().State.Cast<TorchSharp.Modules.SGD.State>().Zip(_network.ParametersInModuleOrder, (state, p) => (state, p.Slice, p.Parameter));

    public void Dispose() => _velocity?.Dispose();
}
