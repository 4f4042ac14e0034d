using AspireSimClr.Engine.Runtime;
using System.Globalization;
using System.Text.Json.Nodes;
using AspireSimClr.Engine.Checkpoints;
using Google.Protobuf;
using Onnx;
using static AspireSimClr.Engine.Export.OnnxValues;

namespace AspireSimClr.Engine.Export;

/// <summary>
/// Writes a trained encoder as an ONNX model (IR 8, opset 17) that ONNX Runtime and other runtimes load: input "images"
/// [batch, 3, size, size] RGB, the run's per-channel normalisation as explicit graph nodes, output "embedding"
/// [batch, features] and optionally "projection" and "logits"; metadata_props describe the run.
/// </summary>
public static class OnnxModelExport
{
    public const long IrVersion = 8;
    public const long Opset = 17;
    public const string InputName = "images";
    public const string EmbeddingOutput = "embedding";
    public const string ProjectionOutput = "projection";
    public const string LogitsOutput = "logits";

    /// <summary>Writes the model to a temporary file and renames it into place: a crash or a full disk leaves no torn file.</summary>
    public static void Save(TrainedModel model, string path, OnnxExportOptions options)
    {
        var bytes = Build(model, options).ToByteArray();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, bytes);
    }

    internal static ModelProto Build(TrainedModel model, OnnxExportOptions options)
    {
        var config = model.Config;
        if (options.Classifier?.Classifier is { } check && check.Features != model.Network.Encoder.FeatureDim)
            throw new ArgumentException($"The classifier takes {check.Features} features; the encoder gives {model.Network.Encoder.FeatureDim}.", nameof(options));

        var graph = new OnnxGraph(new GraphProto { Name = $"{config.Method}-{config.Model}" });
        var batch = Dim("batch");
        var inputType = options.Input == OnnxInputType.Uint8 ? TensorProto.Types.DataType.Uint8 : TensorProto.Types.DataType.Float;
        graph.Proto.Input.Add(Tensor(InputName, inputType, batch, Dim(3), Dim(config.ImageSize), Dim(config.ImageSize)));

        string x = InputName;
        if (options.Input == OnnxInputType.Uint8)
            x = graph.Div(graph.CastToFloat(x), graph.Constant("scale", [255f], []));
        x = graph.Sub(x, graph.Constant("mean", model.Normalization.Mean, [1, 3, 1, 1]));
        x = graph.Div(x, graph.Constant("std", model.Normalization.Std, [1, 3, 1, 1]));

        var network = model.Network;
        var embedding = graph.Layer(network.Encoder, x);
        graph.Output(embedding, EmbeddingOutput, batch, Dim(network.Encoder.FeatureDim));
        if (options.IncludeProjection)
        {
            var projector = network.Projector
                ?? throw new NotSupportedException($"The {config.Method} network has no projection head to export.");
            graph.Output(graph.Layer(projector, embedding), ProjectionOutput, batch, Dim(config.ProjectionDim));
        }
        if (options.Classifier?.Classifier is { } classifier)
        {
            var standardised = graph.Div(
                graph.Sub(embedding, graph.Constant("feature_mean", classifier.FeatureMean, [classifier.Features])),
                graph.Constant("feature_std", classifier.FeatureStd, [classifier.Features]));
            var logits = graph.Gemm(standardised, graph.Constant("classifier", classifier.Weight, [classifier.Classes, classifier.Features]),
                graph.Constant("classifier", classifier.Bias, [classifier.Classes]));
            graph.Output(logits, LogitsOutput, batch, Dim(classifier.Classes));
        }

        var onnx = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "AspireSimClr",
            ProducerVersion = typeof(OnnxModelExport).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph.Proto,
            DocString = $"{config.Method} {config.Model} encoder, epoch {model.Position.Epoch}. Input {InputName}: {InputDescription(options.Input, config.ImageSize)}.",
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in Metadata(model, options))
            onnx.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return onnx;
    }

    // Written node by node rather than by JsonSerializer, which the trimmed CLI bundle cannot use without generated metadata.
    private static string JsonList(IEnumerable<JsonValue> values) => new JsonArray([.. values]).ToJsonString();

    public static string InputDescription(OnnxInputType input, int imageSize) => input == OnnxInputType.Uint8
        ? $"uint8 [batch, 3, {imageSize}, {imageSize}], RGB, 0-255"
        : $"float32 [batch, 3, {imageSize}, {imageSize}], RGB, 0-1";

    /// <summary>The metadata keys the embedding library reads; values are invariant-culture text, lists as JSON arrays.</summary>
    internal static IEnumerable<(string Key, string Value)> Metadata(TrainedModel model, OnnxExportOptions options)
    {
        var config = model.Config;
        if (options.RunId is { } runId) yield return ("run_id", runId);
        yield return ("method", config.Method);
        yield return ("model", config.Model);
        yield return ("epoch", model.Position.Epoch.ToString(CultureInfo.InvariantCulture));
        yield return ("image_size", config.ImageSize.ToString(CultureInfo.InvariantCulture));
        yield return ("input_type", options.Input == OnnxInputType.Uint8 ? "uint8" : "float32");
        yield return ("input_layout", "NCHW RGB");
        yield return ("normalization_mean", JsonList(model.Normalization.Mean.Select(v => JsonValue.Create(v))));
        yield return ("normalization_std", JsonList(model.Normalization.Std.Select(v => JsonValue.Create(v))));
        yield return ("dataset", config.Dataset);
        if (options.Classifier is { } classifier)
        {
            yield return ("classes", JsonList(classifier.ClassNames.Select(name => JsonValue.Create(name))));
            if (classifier.TestTop1 is { } top1) yield return ("classifier_test_top1", top1.ToString("0.####", CultureInfo.InvariantCulture));
        }
    }
}
