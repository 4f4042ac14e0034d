using System.Diagnostics;
using AspireSimClr.Contracts;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Export;
using AspireSimClr.Engine.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

// Usage: OnnxBench [model:batch,...] [rounds] [threads]
var cases = (args.Length > 0 ? args[0] : "compact-cnn:256,resnet18:64").Split(',').Select(c => c.Split(':')).Select(p => (Model: p[0], Batch: int.Parse(p[1]))).ToList();
int rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
int threads = args.Length > 2 ? int.Parse(args[2]) : Environment.ProcessorCount;
DeviceSelector.ApplyThreads(threads);
GlibcAllocator.KeepLargeBuffersMapped();   // as the trainer does at start, so TorchSharp runs as fast as it does there
Console.WriteLine($"{Environment.ProcessorCount} cores, {threads} threads, {rounds} timed rounds after 2 warm-up rounds, 32×32 inputs, fp32, allocator: {GlibcAllocator.State}");
Console.WriteLine("| model | batch | export s | MB | TorchSharp NCHW img/s | TorchSharp channels-last img/s | ONNX Runtime img/s | max abs diff |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");

foreach (var (model, batch) in cases)
{
    var folder = Directory.CreateTempSubdirectory("onnx-bench-");
    try
    {
        // One step of training gives a real checkpoint of the model (weights and batch-norm statistics moved).
        var config = new TrainingConfig
        {
            Dataset = DatasetNames.Synthetic, SyntheticTrainSize = 64, SyntheticTestSize = 32, Model = model, BatchSize = 32, Epochs = 1,
            KnnEveryEpochs = 0, KnnK = 10, LinearProbe = false, Threads = threads, Precision = PrecisionNames.Fp32, Device = "cpu",
        };
        await foreach (var _ in new TrainingLoop().RunAsync(config, new TrainingLoopOptions { CheckpointDir = folder.FullName })) { }
        using var trained = TrainedModel.Load(Path.Combine(folder.FullName, TrainingCheckpoint.LatestFileName), "cpu");
        var path = Path.Combine(folder.FullName, "encoder.onnx");
        var watch = Stopwatch.StartNew();
        OnnxModelExport.Save(trained, path, new OnnxExportOptions());
        double exportSeconds = watch.Elapsed.TotalSeconds;

        manual_seed(1);
        using var images = randint(0, 256, [batch, 3, 32, 32], ScalarType.Byte);
        using var input = trained.Normalization.Prepare(images, 32);
        using var channelsLast = MemoryLayout.ToChannelsLast(input);
        using var raw = images.to_type(ScalarType.Float32).div_(255.0);
        var onnxInput = NamedOnnxValue.CreateFromTensor(OnnxModelExport.InputName, new DenseTensor<float>(HostArrays.ToArray<float>(raw), [batch, 3, 32, 32]));

        double Throughput(Action step)
        {
            step(); step();
            var timer = Stopwatch.StartNew();
            for (int r = 0; r < rounds; r++) step();
            return batch * rounds / timer.Elapsed.TotalSeconds;
        }

        float[] reference = [];
        double torchNchw, torchNhwc;
        using (no_grad())
        {
            var encoder = trained.Network.Encoder;
            torchNchw = Throughput(() => { using var y = encoder.call(input); reference = HostArrays.ToArray<float>(y); });
            torchNhwc = Throughput(() => { using var y = encoder.call(channelsLast); });
        }
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(path, sessionOptions);
        float[] onnx = [];
        double ort = Throughput(() => { using var outputs = session.Run([onnxInput]); onnx = outputs[0].AsTensor<float>().ToArray(); });
        double diff = reference.Zip(onnx, (a, b) => (double)Math.Abs(a - b)).Max();
        Console.WriteLine($"| {model} | {batch} | {exportSeconds:0.00} | {new FileInfo(path).Length / 1e6:0.0} | {torchNchw:0} | {torchNhwc:0} | {ort:0} | {diff:E1} |");
    }
    finally
    {
        folder.Delete(recursive: true);
    }
}
