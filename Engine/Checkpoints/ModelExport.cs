using AspireSimClr.Engine.Runtime;
using AspireSimClr.Engine.Models;
using TorchSharp.PyBridge;

namespace AspireSimClr.Engine.Checkpoints;

/// <summary>Exports the trained encoder's state dict in PyTorch's format (torch.load / load_state_dict).</summary>
public static class ModelExport
{
    public static void SaveEncoderForPyTorch(Encoder encoder, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteThrough(path, temporary => encoder.save_py(temporary));
    }
}
