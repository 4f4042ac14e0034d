using AspireSimClr.Engine;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Evaluation;
using AspireSimClr.Engine.Export;
using AspireSimClr.Engine.Runtime;
using AspireSimClr.Trainer.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using ByteTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<byte>;
using Tensor = TorchSharp.torch.Tensor;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Export;

/// <summary>
/// Exported models run in ONNX Runtime and give what TorchSharp's forward pass gives on real CIFAR-10 images, for
/// checkpoints trained by the real training loop (so batch norm's statistics and weights are not their initial values).
/// </summary>
public class OnnxExportTests
{
    private const float Tolerance = 1e-4f;

    [Theory]
    [InlineData(ModelNames.TinyCnn, false)]
    [InlineData(ModelNames.TinyCnn, true)]
    [InlineData(ModelNames.CompactCnn, false)]
    [InlineData(ModelNames.CompactCnn, true)]
    [InlineData(ModelNames.ResNet18, false)]
    [InlineData(ModelNames.ResNet18, true)]
    public async Task EncoderAndProjectionInOnnxRuntimeEqualTorchSharp(string model, bool channelsLast)
    {
        using var temp = new TempDirectory();
        var checkpoint = await TrainAsync(temp.Path, model, PrecisionNames.Fp32, channelsLast);
        using var trained = TrainedModel.Load(checkpoint, "cpu");
        var path = temp.Combine("encoder.onnx");
        OnnxModelExport.Save(trained, path, new OnnxExportOptions(IncludeProjection: true, RunId: "run-1"));

        using var images = await TestImagesAsync(48);
        var (embedding, projection) = Reference(trained, images, channelsLast);
        using var session = new InferenceSession(path);
        var outputs = Run(session, FloatInput(images));
        AssertClose(embedding, outputs[OnnxModelExport.EmbeddingOutput]);
        AssertClose(projection, outputs[OnnxModelExport.ProjectionOutput]);
    }

    [Fact]
    public async Task ACheckpointTrainedInBf16ExportsItsMasterWeightsInFp32()
    {
        using var temp = new TempDirectory();
        var checkpoint = await TrainAsync(temp.Path, ModelNames.CompactCnn, PrecisionNames.Bf16, channelsLast: true);
        using var trained = TrainedModel.Load(checkpoint, "cpu");
        Assert.Equal(PrecisionNames.Bf16, trained.Config.Precision);
        var path = temp.Combine("encoder.onnx");
        OnnxModelExport.Save(trained, path, new OnnxExportOptions());

        using var images = await TestImagesAsync(32);
        var (embedding, _) = Reference(trained, images, channelsLast: false);
        using var session = new InferenceSession(path);
        AssertClose(embedding, Run(session, FloatInput(images))[OnnxModelExport.EmbeddingOutput]);
    }

    [Fact]
    public async Task Uint8InputAndLinearClassifierGiveTheEnginesLogitsAndMetadataDescribesTheRun()
    {
        using var temp = new TempDirectory();
        var checkpoint = await TrainAsync(temp.Path, ModelNames.CompactCnn, PrecisionNames.Fp32, channelsLast: false);
        using var trained = TrainedModel.Load(checkpoint, "cpu");
        using var images = await TestImagesAsync(64);
        var (embedding, _) = Reference(trained, images, channelsLast: false);
        var labels = Enumerable.Range(0, 64).Select(i => (long)(i % 10)).ToArray();
        var classifier = LinearProbe.Train(embedding, labels, classes: 10, epochs: 3, learningRate: 1e-2, seed: 1);
        string[] classNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
        var path = temp.Combine("classifier.onnx");
        OnnxModelExport.Save(trained, path, new OnnxExportOptions(OnnxInputType.Uint8, Classifier: new ExportClassifier(classifier, classNames, 0.125), RunId: "run-7"));

        using var session = new InferenceSession(path);
        var input = session.InputMetadata[OnnxModelExport.InputName];
        Assert.Equal(typeof(byte), input.ElementType);
        Assert.Equal([-1, 3, 32, 32], input.Dimensions);
        var shape = images.shape.Select(d => (int)d).ToArray();
        var bytes = new ByteTensor(HostArrays.ToArray<byte>(images), shape);
        var outputs = Run(session, NamedOnnxValue.CreateFromTensor(OnnxModelExport.InputName, bytes));
        AssertClose(embedding, outputs[OnnxModelExport.EmbeddingOutput]);
        using var logits = classifier.Logits(embedding);
        AssertClose(logits, outputs[OnnxModelExport.LogitsOutput]);

        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("run-7", metadata["run_id"]);
        Assert.Equal(MethodNames.SimClr, metadata["method"]);
        Assert.Equal(ModelNames.CompactCnn, metadata["model"]);
        Assert.Equal("32", metadata["image_size"]);
        Assert.Equal("uint8", metadata["input_type"]);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(classNames), metadata["classes"]);
        Assert.Equal("0.125", metadata["classifier_test_top1"]);
        var mean = System.Text.Json.JsonSerializer.Deserialize<float[]>(metadata["normalization_mean"]);
        Assert.Equal(trained.Normalization.Mean, mean);
        Assert.Equal(OnnxModelExport.Opset, OnnxOpset(path));
    }

    [Fact]
    public void AChannelsLastWeightIsWrittenInNchwOrder()
    {
        using var nchw = arange(2 * 3 * 2 * 2, ScalarType.Float32).reshape(2, 3, 2, 2);
        using var channelsLast = MemoryLayout.ToChannelsLast(nchw);
        Assert.True(MemoryLayout.IsChannelsLast(channelsLast));
        var graph = new OnnxGraph(new Onnx.GraphProto());
        graph.Initializer("w", channelsLast);
        var written = graph.Proto.Initializer.Single();
        Assert.Equal([2L, 3, 2, 2], written.Dims);
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(written.RawData.Span).ToArray();
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (float)i), values);
    }

    private static long OnnxOpset(string path) =>
        Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).OpsetImport.Single(o => o.Domain == "").Version;

    /// <summary>A few steps of real training on a CIFAR-10 subset, so every weight and running statistic has moved.</summary>
    internal static async Task<string> TrainAsync(string directory, string model, string precision, bool channelsLast)
    {
        var config = new TrainingConfig
        {
            Dataset = DatasetNames.Cifar10, DataDir = SharedCifar10.Root, Download = false, TrainSubset = 96, TestSubset = 32,
            Model = model, EncoderWidth = model == ModelNames.ResNet18 ? 0.25 : 1.0, ProjectionHiddenDim = 64, ProjectionDim = 32,
            BatchSize = 32, Epochs = 1, LearningRate = 1e-2, KnnEveryEpochs = 0, KnnK = 10, LinearProbe = false, Threads = 2,
            Precision = precision, ChannelsLast = channelsLast,
        };
        var events = await TrainingRuns.CollectAsync(new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = directory }));
        Assert.Contains(events, e => e is RunCompleted);
        return Path.Combine(directory, TrainingCheckpoint.LatestFileName);
    }

    private static async Task<Tensor> TestImagesAsync(int count)
    {
        var config = new TrainingConfig { Dataset = DatasetNames.Cifar10, DataDir = SharedCifar10.Root, Download = false, TrainSubset = 10, TestSubset = count };
        using var data = await new DatasetLoader().LoadAsync(config);
        return data.Test!.Images.narrow(0, 0, count).clone();
    }

    /// <summary>TorchSharp's evaluation path: the engine's own preparation, then the encoder and its head.</summary>
    private static (Tensor Embedding, Tensor Projection) Reference(TrainedModel trained, Tensor images, bool channelsLast)
    {
        using var noGrad = no_grad();
        using var input = trained.Normalization.Prepare(images, trained.Config.ImageSize);
        using var laidOut = channelsLast ? MemoryLayout.ToChannelsLast(input) : input.alias();
        var embedding = trained.Network.Encoder.call(laidOut);
        var projection = trained.Network.Projector!.call(embedding);
        return (embedding, projection);
    }

    private static NamedOnnxValue FloatInput(Tensor uint8Images)
    {
        using var scaled = uint8Images.to_type(ScalarType.Float32).div_(255.0);
        var shape = uint8Images.shape.Select(d => (int)d).ToArray();
        return NamedOnnxValue.CreateFromTensor(OnnxModelExport.InputName, new DenseTensor(HostArrays.ToArray<float>(scaled), shape));
    }

    private static Dictionary<string, (float[] Values, int[] Shape)> Run(InferenceSession session, NamedOnnxValue input)
    {
        using var results = session.Run([input]);
        return results.ToDictionary(r => r.Name, r =>
        {
            var tensor = r.AsTensor<float>();
            return (tensor.ToArray(), tensor.Dimensions.ToArray());
        });
    }

    private static void AssertClose(Tensor expected, (float[] Values, int[] Shape) actual)
    {
        Assert.Equal(expected.shape, actual.Shape.Select(d => (long)d).ToArray());
        var reference = HostArrays.ToArray<float>(expected);
        double worst = reference.Zip(actual.Values, (e, a) => (double)Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance, $"max |ONNX Runtime − TorchSharp| = {worst:E2} > {Tolerance:E0}");
        Assert.True(reference.Select(Math.Abs).Max() > 1e-3, "the reference is all zeros; the comparison would say nothing");
    }
}
