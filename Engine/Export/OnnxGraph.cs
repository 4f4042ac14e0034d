using Google.Protobuf;
using Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Export;

/// <summary>
/// Writes TorchSharp layers in evaluation mode as ONNX nodes (opset 17), with their weights as fp32
/// initializers in the standard NCHW layout whatever their memory format or dtype on the device.
/// Each method takes the name of its input value and returns the name of its output value.
/// </summary>
internal sealed class OnnxGraph(GraphProto graph)
{
    private int _values;

    public GraphProto Proto => graph;

    /// <summary>A layer: the standard ones here, a network of the engine's own through <see cref="IOnnxExportable"/>.</summary>
    public string Layer(nn.Module module, string input) => module switch
    {
        IOnnxExportable own => own.ExportOnnx(this, input),
        Sequential sequential => sequential.children().Aggregate(input, (x, child) => Layer(child, x)),
        Conv2d conv => Conv(conv, input),
        BatchNorm batchNorm => BatchNorm(batchNorm, input),
        ReLU => Relu(input),
        Linear linear => Linear(linear, input),
        Flatten flatten when flatten.start_dim == 1 && flatten.end_dim == -1 => Flatten(input),
        AdaptiveAvgPool2d pool when pool.output_size.All(s => s == 1) => GlobalAveragePool(input),
        _ => throw new NotSupportedException($"ONNX export does not know the layer {module.GetType().Name}."),
    };

    public string Conv(Conv2d conv, string input)
    {
        if (conv.padding_mode != TorchSharp.PaddingModes.Zeros || conv.padding_type is not null || conv.padding is not { } padding)
            throw new NotSupportedException("ONNX export takes convolutions with explicit zero padding only.");
        var pads = padding.Concat(padding).ToArray();
        List<string> inputs = [input, Initializer("conv", conv.weight)];
        if (conv.bias is { } bias) inputs.Add(Initializer("conv", bias));
        return Node("Conv", inputs,
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride), Ints("pads", pads),
            Ints("dilations", conv.dilation), Int("group", conv.groups));
    }

    /// <summary>Batch normalisation with its running statistics (inference), for [N, C] and [N, C, H, W] inputs.</summary>
    public string BatchNorm(BatchNorm batchNorm, string input)
    {
        if (batchNorm.running_mean is null || batchNorm.running_var is null)
            throw new NotSupportedException("ONNX export needs batch normalisation with running statistics.");
        using var scale = ones(batchNorm.num_features);
        using var shift = zeros(batchNorm.num_features);
        return Node("BatchNormalization",
            [input, Initializer("bn", batchNorm.weight ?? scale), Initializer("bn", batchNorm.bias ?? shift),
             Initializer("bn", batchNorm.running_mean), Initializer("bn", batchNorm.running_var)],
            Float("epsilon", (float)batchNorm.eps));
    }

    public string Linear(Linear linear, string input) =>
        Gemm(input, Initializer("linear", linear.weight), linear.bias is { } bias ? Initializer("linear", bias) : null);

    /// <summary>y = x Wᵀ + b (transB), W [out, in] as stored by a linear layer.</summary>
    public string Gemm(string input, string weight, string? bias) =>
        Node("Gemm", bias is null ? [input, weight] : [input, weight, bias], Int("transB", 1));

    public string Relu(string input) => Node("Relu", [input]);

    public string Add(string a, string b) => Node("Add", [a, b]);

    public string GlobalAveragePool(string input) => Node("GlobalAveragePool", [input]);

    /// <summary>[N, …] → [N, product of the rest], as torch's flatten(1).</summary>
    public string Flatten(string input) => Node("Flatten", [input], Int("axis", 1));

    public string Sub(string a, string b) => Node("Sub", [a, b]);

    public string Div(string a, string b) => Node("Div", [a, b]);

    public string CastToFloat(string input) => Node("Cast", [input], Int("to", (long)TensorProto.Types.DataType.Float));

    /// <summary>An fp32 constant of the given shape.</summary>
    public string Constant(string prefix, float[] values, long[] dims)
    {
        var name = Fresh(prefix);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A weight as an fp32 initializer, in NCHW order (channels-last and bf16 tensors are converted).</summary>
    public string Initializer(string prefix, Tensor weight)
    {
        using var host = weight.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return Constant(prefix, Runtime.HostArrays.ToArray<float>(host), host.shape);
    }

    public string Node(string op, IReadOnlyList<string> inputs, params AttributeProto[] attributes)
    {
        var output = Fresh(op.ToLowerInvariant());
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    /// <summary>Gives the value <paramref name="value"/> the public name <paramref name="name"/> (an Identity node).</summary>
    public void Output(string value, string name, params TensorShapeProto.Types.Dimension[] dims)
    {
        var node = new NodeProto { OpType = "Identity", Name = name };
        node.Input.Add(value);
        node.Output.Add(name);
        graph.Node.Add(node);
        graph.Output.Add(OnnxValues.Tensor(name, TensorProto.Types.DataType.Float, dims));
    }

    private string Fresh(string prefix) => $"{prefix}_{++_values}";

    private static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}

/// <summary>A network of the engine's own that writes its forward pass as ONNX nodes; the export tests hold the two equal.</summary>
internal interface IOnnxExportable
{
    string ExportOnnx(OnnxGraph graph, string input);
}

internal static class OnnxValues
{
    public static TensorShapeProto.Types.Dimension Dim(long size) => new() { DimValue = size };

    public static TensorShapeProto.Types.Dimension Dim(string symbol) => new() { DimParam = symbol };

    public static ValueInfoProto Tensor(string name, TensorProto.Types.DataType type, params TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims);
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}
