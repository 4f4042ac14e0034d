using System.CommandLine;
using AspireSimClr.Engine.Checkpoints;

namespace AspireSimClr.Trainer.Cli;

/// <summary>Writes a checkpoint's encoder as a PyTorch state dict.</summary>
public static class ExportCommand
{
    public static Command Create(TextWriter output)
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "Checkpoint whose encoder to export.", Required = true };
        var outFile = new Option<FileInfo>("--out") { Description = "Target .pt file (torch.load → load_state_dict).", Required = true };
        var command = new Command("export", "Export the encoder in PyTorch's format.") { checkpoint, outFile };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(checkpoint)!;
            if (!path.Exists) throw new CliUsageException($"--checkpoint: {path.FullName} does not exist.");
            using var model = TrainedModel.Load(path.FullName, "cpu");
            var target = parse.GetValue(outFile)!.FullName;
            ModelExport.SaveEncoderForPyTorch(model.Network.Encoder, target);
            output.WriteLine($"{target}: {model.Config.Model} encoder state dict");
            return 0;
        });
        return command;
    }
}
