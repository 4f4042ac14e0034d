using AspireSimClr.Engine.Flat;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Optimization;

/// <summary>
/// Adam (Kingma and Ba 2015) with L2 weight decay added to the gradient, as TorchSharp's and PyTorch's
/// <c>Adam</c> define it, on the network's flat buffer: a step is a handful of operations whatever the
/// number of tensors. Its state is saved in TorchSharp's <c>Adam</c> format, so checkpoints of earlier
/// versions load.
/// </summary>
public sealed class Adam : ITrainingOptimizer
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly FlatNetwork _network;
    private readonly FlatBuffer _parameters;
    private readonly Tensor _average, _averageOfSquares;
    private long _steps;

    public Adam(FlatNetwork network, double learningRate, double weightDecay)
    {
        _network = network;
        _parameters = network.SingleParameterBuffer;
        _average = zeros_like(_parameters.Values).DetachFromDisposeScope();
        _averageOfSquares = zeros_like(_parameters.Values).DetachFromDisposeScope();
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    public double LearningRate { get; set; }

    public double WeightDecay { get; set; }

    public void ZeroGrad() => _network.ZeroGradients();

    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        _steps++;
        double correction1 = 1 - Math.Pow(Beta1, _steps), correction2 = 1 - Math.Pow(Beta2, _steps);
        var gradient = WeightDecay != 0 ? _parameters.Gradients!.add(_parameters.Values, alpha: WeightDecay) : _parameters.Gradients!;
        _average.mul_(Beta1).add_(gradient, alpha: 1 - Beta1);
        _averageOfSquares.mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
        var denominator = _averageOfSquares.sqrt().div_(Math.Sqrt(correction2)).add_(Epsilon);
        _parameters.Values.addcdiv_(_average, denominator, value: -LearningRate / correction1);
    }

    public void SaveState(BinaryWriter writer)
    {
        using var file = NewFile();
        foreach (var (state, slice) in States(file))
        {
            state.step = _steps;
            using (var average = _average.narrow(0, slice.Offset, slice.Length)) state.exp_avg.view(-1).copy_(average);
            using (var squares = _averageOfSquares.narrow(0, slice.Offset, slice.Length)) state.exp_avg_sq.view(-1).copy_(squares);
        }
        file.save_state_dict(writer);
    }

    public void LoadState(BinaryReader reader)
    {
        using var file = NewFile();
        file.load_state_dict(reader);
        var states = States(file).ToList();
        var steps = states.Select(s => s.State.step).Distinct().ToList();
        if (steps.Count > 1) throw new InvalidDataException($"Adam state: parameters took different numbers of steps ({string.Join(", ", steps)}).");
        _steps = steps.FirstOrDefault();
        foreach (var (state, slice) in states)
        {
            using var average = _average.narrow(0, slice.Offset, slice.Length);
            average.copy_(state.exp_avg.view(-1));
            using var squares = _averageOfSquares.narrow(0, slice.Offset, slice.Length);
            squares.copy_(state.exp_avg_sq.view(-1));
        }
    }

    /// <summary>TorchSharp's Adam over the same parameters, only to write and read its file format.</summary>
    private TorchSharp.Modules.Adam NewFile() =>
        optim.Adam(_network.ParametersInModuleOrder.Select(p => p.Parameter), lr: LearningRate, beta1: Beta1, beta2: Beta2, eps: Epsilon, weight_decay: WeightDecay);

    private IEnumerable<(TorchSharp.Modules.Adam.State State, FlatSlice Slice)> States(TorchSharp.Modules.Adam file) =>
        file.state_dict().State.Cast<TorchSharp.Modules.Adam.State>().Zip(_network.ParametersInModuleOrder, (state, p) => (state, p.Slice));

    public void Dispose()
    {
        _average.Dispose();
        _averageOfSquares.Dispose();
    }
}
