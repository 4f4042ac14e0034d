using System.Text;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Models;
using AspireSimClr.Trainer.Tests.Support;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Checkpoints;

public class PyTorchExportTests
{
    [Theory]
    [InlineData(ModelNames.CompactCnn)]
    [InlineData(ModelNames.ResNet18)]
    public void EncoderExportLoadsBackInPyTorchFormatWithIdenticalWeights(string model)
    {
        using var temp = new TempDirectory();
        manual_seed(1);
        using var encoder = EncoderFactory.Create(model, 32);
        var path = temp.Combine("encoder.pt");
        ModelExport.SaveEncoderForPyTorch(encoder, path);

        // A PyTorch file is a zip archive with a pickled state dict (data.pkl).
        using (var zip = System.IO.Compression.ZipFile.OpenRead(path))
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("data.pkl"));

        manual_seed(2);
        using var restored = EncoderFactory.Create(model, 32);
        restored.load_py(path);
        var expected = encoder.state_dict();
        var actual = restored.state_dict();
        Assert.All(expected.Keys, k => Assert.True(Tensors.Identical(expected[k], actual[k]), k));
    }

    [Fact]
    public void NpyFilesHaveTheNumpyHeaderAndData()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("features.npy");
        NpyWriter.WriteFloat32(path, [1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'shape': (2, 3)", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(6f, BitConverter.ToSingle(bytes, 10 + headerLength + 20));

        var labels = temp.Combine("labels.npy");
        NpyWriter.WriteInt64(labels, [7, 8, 9], 3);
        var labelHeader = Encoding.ASCII.GetString(File.ReadAllBytes(labels), 10, BitConverter.ToUInt16(File.ReadAllBytes(labels), 8));
        Assert.Contains("'shape': (3,)", labelHeader);
    }

    [Fact]
    public void CheckpointRejectsForeignFiles()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("not-a-checkpoint.ckpt");
        File.WriteAllText(path, "hello");
        Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.ReadPosition(path));
    }
}
