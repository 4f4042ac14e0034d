using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Export;

namespace AspireSimClr.Trainer.Cli;

/// <summary>Writes a checkpoint's encoder as a PyTorch state dict or as an ONNX model.</summary>
public static class ExportCommand
{
    public const string PyTorch = "pytorch";
    public const string Onnx = "onnx";

    /// <summary>What <c>export --json</c> prints.</summary>
    public sealed record ExportReport(string Path, string Format, long Bytes, double Seconds, IReadOnlyList<string> Outputs, double? ClassifierTestTop1);

    public static Command Create(TextWriter output)
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "Checkpoint whose encoder to export.", Required = true };
        var outFile = new Option<FileInfo>("--out") { Description = "Target file: .pt (torch.load → load_state_dict) or .onnx.", Required = true };
        var format = new Option<string>("--format") { Description = "pytorch (a state dict) or onnx (a model ONNX Runtime runs).", DefaultValueFactory = _ => PyTorch };
        format.AcceptOnlyFromAmong(PyTorch, Onnx);
        var input = new Option<string>("--input") { Description = "ONNX only: the model's input, float (RGB in 0-1) or uint8 (RGB 0-255), [batch, 3, size, size].", DefaultValueFactory = _ => "float" };
        input.AcceptOnlyFromAmong("float", "uint8");
        var projection = new Option<bool>("--projection") { Description = "ONNX only: add the projection head's output 'projection'." };
        var classifier = new Option<bool>("--classifier") { Description = "ONNX only: train a linear classifier on the dataset's labelled train split and add its output 'logits'." };
        var dataDir = new Option<string>("--data-dir") { Description = "With --classifier: where the run's dataset is, if not where it was trained." };
        var runId = new Option<string>("--run-id") { Description = "ONNX only: the run id written into the model's metadata." };
        var json = new Option<bool>("--json") { Description = "Print a JSON report." };
        var command = new Command("export", "Export the encoder in PyTorch's format or as an ONNX model.") { checkpoint, outFile, format, input, projection, classifier, dataDir, runId, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(checkpoint)!;
            if (!path.Exists) throw new CliUsageException($"--checkpoint: {path.FullName} does not exist.");
            bool onnx = parse.GetValue(format) == Onnx;
            foreach (var onnxOnly in new Option[] { input, projection, classifier, runId, dataDir })
                if (!onnx && parse.GetResult(onnxOnly) is { Implicit: false })
                    throw new CliUsageException($"{onnxOnly.Name}: only with --format onnx.");
            if (parse.GetResult(dataDir) is { Implicit: false } && !parse.GetValue(classifier)) throw new CliUsageException("--data-dir: only with --classifier.");

            var watch = Stopwatch.StartNew();
            using var model = TrainedModel.Load(path.FullName, "cpu");
            var target = parse.GetValue(outFile)!.FullName;
            List<string> outputs = [OnnxModelExport.EmbeddingOutput];
            ExportClassifier? trainedClassifier = null;
            if (!onnx)
            {
                ModelExport.SaveEncoderForPyTorch(model.Network.Encoder, target);
            }
            else
            {
                if (parse.GetValue(classifier))
                {
                    var settings = parse.GetValue(dataDir) is { } folder ? model.Config with { DataDir = folder } : model.Config;
                    try
                    {
                        trainedClassifier = await ExportClassifier.TrainAsync(model, settings, new DatasetLoader(), cancellationToken);
                    }
                    catch (Exception ex) when (ex is UnlabelledDataException or DataNotFoundException)
                    {
                        throw new CliUsageException($"--classifier: {ex.Message}");
                    }
                }
                var options = new OnnxExportOptions(parse.GetValue(input) == "uint8" ? OnnxInputType.Uint8 : OnnxInputType.Float,
                    parse.GetValue(projection), trainedClassifier, parse.GetValue(runId));
                if (options.IncludeProjection && model.Network.Projector is null) throw new CliUsageException($"--projection: the {model.Config.Method} network has no projection head.");
                OnnxModelExport.Save(model, target, options);
                if (options.IncludeProjection) outputs.Add(OnnxModelExport.ProjectionOutput);
                if (trainedClassifier is not null) outputs.Add(OnnxModelExport.LogitsOutput);
            }

            var report = new ExportReport(target, onnx ? Onnx : PyTorch, new FileInfo(target).Length, watch.Elapsed.TotalSeconds, onnx ? outputs : [], trainedClassifier?.TestTop1);
            if (parse.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(report, ConsoleReporter.JsonOptions.TypeInfo<ExportReport>()));
            else if (onnx)
                output.WriteLine($"{target}: {model.Config.Model} encoder as ONNX (opset {OnnxModelExport.Opset}), outputs {string.Join(", ", outputs)}, {report.Bytes / 1e6:0.0} MB in {report.Seconds:0.0} s"
                    + (trainedClassifier?.TestTop1 is { } top1 ? $"; classifier test top-1 {top1:P2}" : ""));
            else
                output.WriteLine($"{target}: {model.Config.Model} encoder state dict");
            return 0;
        });
        return command;
    }
}
