using AspireSimClr.Engine.Export;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AspireSimClr.Engine.Models;

/// <summary>SimCLR's projection MLP g(·): Linear–BN–ReLU–Linear.</summary>
public sealed class ProjectionHead : Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly TorchSharp.Modules.Sequential layers;

    public ProjectionHead(int input, int hidden, int output) : base(nameof(ProjectionHead))
    {
        layers = Sequential(Linear(input, hidden, hasBias: false), BatchNorm1d(hidden), ReLU(inplace: true), Linear(hidden, output));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => layers.call(x);

    string IOnnxExportable.ExportOnnx(OnnxGraph graph, string input) => graph.Layer(layers, input);
}
