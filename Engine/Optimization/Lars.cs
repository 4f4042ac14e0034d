using AspireSimClr.Engine.Runtime;
using System.Runtime.InteropServices;
using AspireSimClr.Engine.Flat;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Optimization;

/// <summary>
/// LARS (You et al. 2017) as SimCLR uses it: SGD with momentum whose update for each weight tensor is
/// scaled by the trust ratio η·‖w‖ / ‖∇w + λw‖. Biases and normalisation parameters (every 1-d
/// parameter) get neither the adaptation nor weight decay. It works on the network's flat buffer, whose
/// weight tensors come first: every tensor's norms are one segmented sum (index_add_) each, so a step
/// is about twenty operations whatever the number of tensors.
/// </summary>
public sealed class Lars : ITrainingOptimizer
{
    private readonly FlatNetwork _network;
    private readonly FlatBuffer _parameters;
    private readonly Tensor _momentum;
    private readonly long _matrixElements;
    private readonly int _matrices;
    private readonly Tensor? _matrixOfElement;
    private readonly double _momentumFactor, _eta;
    private bool _stepped;

    public Lars(FlatNetwork network, double learningRate, double momentum, double weightDecay, double eta)
    {
        _network = network;
        _parameters = network.SingleParameterBuffer;
        var slices = _parameters.Slices;
        _matrices = slices.TakeWhile(s => s.Dimensions > 1).Count();
        if (slices.Skip(_matrices).Any(s => s.Dimensions > 1))
            throw new ArgumentException("LARS needs the weight tensors first in the flat buffer (FlatNetwork's order).", nameof(network));
        _matrixElements = slices.Take(_matrices).Sum(s => s.Length);
        var device = _parameters.Values.device;
        if (_matrices > 0)
        {
            using var lengths = tensor(slices.Take(_matrices).Select(s => s.Length).ToArray(), device: device);
            _matrixOfElement = arange(_matrices, dtype: ScalarType.Int64, device: device).repeat_interleave(lengths).DetachFromDisposeScope();
        }
        _momentum = zeros_like(_parameters.Values).DetachFromDisposeScope();
        LearningRate = learningRate;
        _momentumFactor = momentum;
        WeightDecay = weightDecay;
        _eta = eta;
    }

    public double LearningRate { get; set; }

    public double WeightDecay { get; set; }

    public void ZeroGrad() => _network.ZeroGradients();

    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var values = _parameters.Values;
        var gradients = _parameters.Gradients!;
        if (_matrices > 0)
        {
            var weights = values.narrow(0, 0, _matrixElements);
            var update = gradients.narrow(0, 0, _matrixElements);
            update = WeightDecay > 0 ? update.add(weights, alpha: WeightDecay) : update.clone();
            var weightNorms = SegmentNorms(weights);
            var updateNorms = SegmentNorms(update);
            var adapt = weightNorms.gt(0).logical_and_(updateNorms.gt(0));
            var trust = where(adapt, weightNorms.mul(_eta).div_(updateNorms), ones_like(weightNorms));
            update.mul_(trust.index_select(0, _matrixOfElement!));
            _momentum.narrow(0, 0, _matrixElements).mul_(_momentumFactor).add_(update);
        }
        long rest = _parameters.Length - _matrixElements;
        if (rest > 0) _momentum.narrow(0, _matrixElements, rest).mul_(_momentumFactor).add_(gradients.narrow(0, _matrixElements, rest));
        values.add_(_momentum, alpha: -LearningRate);
        _stepped = true;
    }

    /// <summary>The L2 norm of each weight tensor's part of <paramref name="elements"/>.</summary>
    private Tensor SegmentNorms(Tensor elements) =>
        zeros(_matrices, dtype: elements.dtype, device: elements.device).index_add_(0, _matrixOfElement!, elements.square(), alpha: 1).sqrt_();

    /// <summary>One momentum buffer per parameter in module order, absent before the first step (the format of earlier versions).</summary>
    public void SaveState(BinaryWriter writer)
    {
        var parameters = _network.ParametersInModuleOrder;
        writer.Write(parameters.Count);
        foreach (var (slice, _) in parameters)
        {
            writer.Write(_stepped);
            if (!_stepped) continue;
            using var part = _momentum.narrow(0, slice.Offset, slice.Length);
            using var host = part.cpu();
            writer.Write((int)slice.Length);
            writer.Write(MemoryMarshal.AsBytes(HostArrays.ToArray<float>(host).AsSpan()));
        }
    }

    public void LoadState(BinaryReader reader)
    {
        var parameters = _network.ParametersInModuleOrder;
        int count = reader.ReadInt32();
        if (count != parameters.Count) throw new InvalidDataException($"LARS state has {count} buffers, the model has {parameters.Count} parameters");
        using var noGrad = no_grad();
        _stepped = false;
        foreach (var (slice, parameter) in parameters)
        {
            using var momentum = _momentum.narrow(0, slice.Offset, slice.Length);
            if (!reader.ReadBoolean())
            {
                momentum.zero_();
                continue;
            }
            int length = reader.ReadInt32();
            if (length != slice.Length) throw new InvalidDataException($"LARS state for {slice.Name} has {length} values, the parameter {slice.Length}");
            var bytes = reader.ReadBytes(length * sizeof(float));
            if (bytes.Length != length * sizeof(float)) throw new EndOfStreamException($"LARS state for {slice.Name} ends early");
            using var loaded = tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray());
            momentum.copy_(loaded);
            _stepped = true;
        }
    }

    public void Dispose()
    {
        _momentum.Dispose();
        _matrixOfElement?.Dispose();
    }
}
