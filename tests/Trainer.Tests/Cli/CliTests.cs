using System.Text.Json;
using AspireSimClr.Trainer.Cli;
using AspireSimClr.Trainer.Tests.Support;

namespace AspireSimClr.Trainer.Tests.Cli;

public class CliTests
{
    private static readonly string[] QuickFlags =
    [
        "--dataset", "synthetic", "--synthetic-train-size", "96", "--synthetic-test-size", "32", "--image-size", "16",
        "--model", "tiny-cnn", "--projection-hidden-dim", "32", "--projection-dim", "16", "--batch-size", "32",
        "--knn-k", "10", "--linear-probe-epochs", "5",
    ];

    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task BadValuesNameTheFlag()
    {
        var (exit, _, error) = await Run(["train", .. Without(QuickFlags, "--batch-size"), "--batch-size", "1"]);
        Assert.Equal(2, exit);
        Assert.Contains("--batch-size", error);

        (exit, _, error) = await Run(["train", .. QuickFlags, "--epochs", "many"]);
        Assert.Equal(2, exit);
        Assert.Contains("--epochs: 'many' is not a valid integer", error);

        (exit, _, error) = await Run(["train", "--dataset", "cifar10", "--data-dir", "/nonexistent/cifar", "--download", "false"]);
        Assert.Equal(1, exit);
        Assert.Contains("/nonexistent/cifar", error);
    }

    [Fact]
    public async Task TrainWithJsonThenEvalEmbedAndExportTheCheckpoint()
    {
        using var temp = new TempDirectory();
        var (exit, output, error) = await Run(["train", .. QuickFlags, "--epochs", "2", "--json", "--checkpoint-dir", temp.Path]);
        Assert.True(exit == 0, error);
        var events = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal("started", events[0].GetProperty("type").GetString());
        var step = events.First(e => e.GetProperty("type").GetString() == "step");
        foreach (var field in new[] { "epoch", "loss", "learningRate", "imagesPerSecond" }) Assert.True(step.TryGetProperty(field, out _), field);
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "evaluation" && e.GetProperty("kind").GetString() == "knn");
        Assert.Equal("completed", events[^1].GetProperty("type").GetString());
        var checkpoint = Path.Combine(temp.Path, "latest.ckpt");
        Assert.True(File.Exists(Path.Combine(temp.Path, "encoder.pt")));

        (exit, output, error) = await Run(["eval", "--checkpoint", checkpoint, "--json", "--fine-tune-epochs", "1"]);
        Assert.True(exit == 0, error);
        var results = JsonDocument.Parse(output).RootElement.GetProperty("results");
        Assert.Equal(["knn", "linear", "linear@1%", "linear@10%", "fine-tune@1%", "fine-tune@10%"], results.EnumerateArray().Select(r => r.GetProperty("kind").GetString()));
        // 96 synthetic training images in 4 classes of 24: one of each class at 1 %, 2 of each (2.4 rounded) at 10 %.
        Assert.Equal([96, 96, 4, 8, 4, 8], results.EnumerateArray().Select(r => r.GetProperty("trainImages").GetInt32()));
        Assert.All(results.EnumerateArray(), r => Assert.InRange(r.GetProperty("top1").GetDouble(), 0, 1));

        (exit, _, error) = await Run(["embed", "--checkpoint", checkpoint, "--split", "test", "--out", temp.Combine("embed")]);
        Assert.True(exit == 0, error);
        Assert.Equal(10 + 128 * 32 * 4, new FileInfo(temp.Combine("embed", "features.npy")).Length - HeaderLength(temp.Combine("embed", "features.npy")) + 10);
        Assert.True(File.Exists(temp.Combine("embed", "labels.npy")));

        (exit, _, error) = await Run(["export", "--checkpoint", checkpoint, "--out", temp.Combine("exported.pt")]);
        Assert.True(exit == 0, error);
        Assert.True(new FileInfo(temp.Combine("exported.pt")).Length > 1000);

        var onnx = temp.Combine("exported.onnx");
        (exit, output, error) = await Run(["export", "--checkpoint", checkpoint, "--out", onnx, "--format", "onnx", "--input", "uint8", "--projection", "--classifier", "--run-id", "r1", "--json"]);
        Assert.True(exit == 0, error);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["embedding", "projection", "logits"], report.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()));
        Assert.InRange(report.GetProperty("classifierTestTop1").GetDouble(), 0, 1);
        Assert.Equal(new FileInfo(onnx).Length, report.GetProperty("bytes").GetInt64());
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        Assert.Equal(["embedding", "projection", "logits"], session.OutputNames);
        Assert.Equal(typeof(byte), session.InputMetadata["images"].ElementType);
        Assert.Equal("r1", session.ModelMetadata.CustomMetadataMap["run_id"]);
    }

    [Fact]
    public async Task PretrainedOnUnlabelledImagesThenEvaluatedOnASeparateLabelledFolderAtEachShareOfItsLabels()
    {
        using var temp = new TempDirectory();
        var cifarTrain = Path.Combine(SharedCifar10.Root, "train");
        var classes = Directory.GetDirectories(cifarTrain).Order(StringComparer.Ordinal).Take(4).ToList();
        // Unlabelled: 160 loose images. Labelled: 4 classes with 20 training and 10 test images each, none of them seen before.
        var unlabelled = Directory.CreateDirectory(temp.Combine("unlabelled")).FullName;
        foreach (var (file, i) in classes.SelectMany(c => Directory.GetFiles(c).Order(StringComparer.Ordinal).Take(40)).Select((f, i) => (f, i)))
            File.Copy(file, Path.Combine(unlabelled, $"{i:D4}.jpg"));
        foreach (var c in classes)
        {
            var files = Directory.GetFiles(c).Order(StringComparer.Ordinal).Skip(40).Take(30).ToList();
            foreach (var (split, chosen) in new[] { ("train", files.Take(20)), ("test", files.Skip(20)) })
            {
                var folder = Directory.CreateDirectory(temp.Combine("labelled", split, Path.GetFileName(c))).FullName;
                foreach (var file in chosen) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
        }

        var (exit, output, error) = await Run(["train", "--dataset", "image-folder", "--data-dir", unlabelled, "--model", "tiny-cnn", "--epochs", "1",
            "--batch-size", "32", "--projection-hidden-dim", "32", "--projection-dim", "16", "--checkpoint-dir", temp.Combine("run"), "--json"]);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("\"evaluation\"", output);   // nothing to evaluate on without labels

        (exit, output, error) = await Run(["eval", "--checkpoint", temp.Combine("run", "latest.ckpt"), "--data-dir", temp.Combine("labelled"), "--knn-k", "10",
            "--linear-probe-epochs", "5", "--fine-tune-epochs", "1", "--json"]);
        Assert.True(exit == 0, error);
        var results = JsonDocument.Parse(output).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["knn", "linear", "linear@1%", "linear@10%", "fine-tune@1%", "fine-tune@10%"], results.Select(r => r.GetProperty("kind").GetString()));
        // 80 labelled images in 4 classes of 20: 1 % is one per class, 10 % two per class; every test image is scored.
        Assert.Equal([80, 80, 4, 8, 4, 8], results.Select(r => r.GetProperty("trainImages").GetInt32()));
        Assert.All(results, r => Assert.Equal(40, r.GetProperty("testImages").GetInt32()));
    }

    [Fact]
    public async Task ExportRefusesOnnxOptionsForPyTorchAndBadValuesByFlag()
    {
        using var temp = new TempDirectory();
        var (exit, _, error) = await Run(["train", .. QuickFlags, "--epochs", "1", "--checkpoint-dir", temp.Path]);
        Assert.True(exit == 0, error);
        var checkpoint = Path.Combine(temp.Path, "latest.ckpt");

        (exit, _, error) = await Run(["export", "--checkpoint", checkpoint, "--out", temp.Combine("a.pt"), "--projection"]);
        Assert.True(exit == 2, error);
        Assert.Contains("--projection: only with --format onnx", error);

        (exit, _, error) = await Run(["export", "--checkpoint", checkpoint, "--out", temp.Combine("a.onnx"), "--format", "onnx", "--input", "rgb"]);
        Assert.Equal(2, exit);
        Assert.Contains("--input", error);

        (exit, _, error) = await Run(["export", "--checkpoint", checkpoint, "--out", temp.Combine("a.onnx"), "--format", "tflite"]);
        Assert.Equal(2, exit);
        Assert.Contains("--format", error);

        (exit, _, error) = await Run(["export", "--checkpoint", checkpoint, "--out", temp.Combine("a.onnx"), "--format", "onnx", "--data-dir", temp.Path]);
        Assert.Equal(2, exit);
        Assert.Contains("--data-dir: only with --classifier", error);
        Assert.False(File.Exists(temp.Combine("a.onnx")));
    }

    [Fact]
    public async Task EvalWithoutCheckpointMeasuresTheRandomInitialisationBaseline()
    {
        var (exit, output, error) = await Run(["eval", .. QuickFlags, "--knn-only"]);
        Assert.True(exit == 0, error);
        Assert.Contains("Randomly initialised tiny-cnn", output);
        Assert.Contains("knn top-1", output);
    }

    [Fact]
    public async Task BenchPrintsThroughputAndMemoryPerCase()
    {
        var (exit, output, error) = await Run(["bench", "--cases", "tiny-cnn:8", "--steps", "1", "--warmup", "1", "--rounds", "2", "--json"]);
        Assert.True(exit == 0, error);
        var result = JsonDocument.Parse(output).RootElement.GetProperty("results")[0];
        Assert.Equal("tiny-cnn", result.GetProperty("model").GetString());
        Assert.True(result.GetProperty("trainImagesPerSecond").GetDouble() > 0);
        Assert.Equal(2, result.GetProperty("residentBytesPerRound").GetArrayLength());
        Assert.True(result.GetProperty("trainFlopsPerImage").GetInt64() > 0);
        Assert.InRange(result.GetProperty("mfu").GetDouble(), 1e-6, 2);
        var precision = result.GetProperty("precision").GetString()!;
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("peakFlopsPerSecond").GetProperty(precision).GetDouble() > 1e9);

        (exit, _, error) = await Run(["bench", "--cases", "vgg:8"]);
        Assert.Equal(2, exit);
        Assert.Contains("--cases", error);

        (exit, _, error) = await Run(["bench", "--cases", "tiny-cnn:8", "--precision", "fp16"]);
        Assert.Equal(2, exit);
        Assert.Contains("--precision", error);
    }

    [Fact]
    public async Task BenchMeasuresEachPrecisionAndLayout()
    {
        var (exit, output, error) = await Run(["bench", "--cases", "tiny-cnn:8", "--steps", "1", "--warmup", "1", "--rounds", "1",
            "--precision", "fp32,bf16", "--channels-last", "false,true", "--json"]);
        Assert.True(exit == 0, error);
        var results = JsonDocument.Parse(output).RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("precision").GetString(), r.GetProperty("channelsLast").GetBoolean(), r.GetProperty("trainImagesPerSecond").GetDouble()))
            .ToList();
        Assert.Equal([("fp32", false), ("fp32", true), ("bf16", false), ("bf16", true)], results.Select(r => (r.Item1, r.Item2)));
        Assert.All(results, r => Assert.True(r.Item3 > 0));
    }

    [Fact]
    public async Task BenchDataReportsEachPhaseWithTheCacheFileBackedByTheMapping()
    {
        using var temp = new TempDirectory();
        for (int i = 0; i < 24; i++)
        {
            Directory.CreateDirectory(temp.Combine($"class{i % 2}"));
            using var bitmap = new SkiaSharp.SKBitmap(12, 12);
            bitmap.Erase(new SkiaSharp.SKColor((byte)(i * 10), 90, 200));
            using var png = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(temp.Combine($"class{i % 2}", $"{i}.png"), png.ToArray());
        }
        var (exit, output, error) = await Run(["bench-data", "--data-dir", temp.Path, "--image-size", "16", "--model", "tiny-cnn",
            "--batch-size", "8", "--steps", "1", "--json"]);
        Assert.True(exit == 0, error);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.Equal(24, report.GetProperty("images").GetInt32());
        var phases = report.GetProperty("phases").EnumerateArray().ToList();
        Assert.Equal(["load", "normalization", "train steps", "feature bank"], phases.Select(p => p.GetProperty("phase").GetString()));
        Assert.All(phases, p => Assert.True(p.GetProperty("residentBytes").GetInt64() > 0));
        Assert.True(phases[^1].GetProperty("fileBackedBytes").GetInt64() > 0);

        (exit, _, error) = await Run(["bench-data", "--data-dir", temp.Path, "--steps", "0"]);
        Assert.Equal(2, exit);
        Assert.Contains("--steps", error);
        (exit, _, error) = await Run(["bench-data", "--data-dir", "/nonexistent/photos"]);
        Assert.Equal(1, exit);
        Assert.Contains("/nonexistent/photos", error);
    }

    private static string[] Without(string[] flags, string flag)
    {
        int at = Array.IndexOf(flags, flag);
        return [.. flags[..at], .. flags[(at + 2)..]];
    }

    private static int HeaderLength(string npy) => 10 + BitConverter.ToUInt16(File.ReadAllBytes(npy), 8);
}
