using AspireSimClr.Engine;
using AspireSimClr.Engine.Data;
using AspireSimClr.Trainer.Tests.Support;

namespace AspireSimClr.Trainer.Tests.Data;

public class Cifar10BinaryTests
{
    /// <summary>Writes the six official batch files with a few records each; pixel i of record r is (r * 7 + i) mod 256.</summary>
    internal static string WriteFakeRelease(string dataDir, int recordsPerFile = 3)
    {
        var folder = Path.Combine(dataDir, Cifar10Binary.FolderName);
        Directory.CreateDirectory(folder);
        int record = 0;
        foreach (var file in Cifar10Binary.TrainFiles.Append(Cifar10Binary.TestFile))
        {
            var pixels = new byte[recordsPerFile * 3072];
            var labels = new byte[recordsPerFile];
            for (int r = 0; r < recordsPerFile; r++, record++)
            {
                labels[r] = (byte)(record % 10);
                for (int i = 0; i < 3072; i++) pixels[r * 3072 + i] = (byte)((record * 7 + i) % 256);
            }
            Cifar10Binary.Write(Path.Combine(folder, file), pixels, labels);
        }
        return folder;
    }

    [Fact]
    public async Task ReadsRecordsOfTheOfficialLayout()
    {
        using var temp = new TempDirectory();
        WriteFakeRelease(temp.Path);
        using var splits = await new DatasetLoader().LoadAsync(new TrainingConfig { Dataset = DatasetNames.Cifar10, DataDir = temp.Path, Download = false });

        Assert.Equal(15, splits.Train.Count);
        Assert.Equal(3, splits.Test!.Count);
        Assert.Equal(Enumerable.Range(0, 15).Select(r => (long)(r % 10)), splits.Train.Labels!);
        var record4 = splits.Train.Images[4].flatten().data<byte>().ToArray();
        Assert.Equal(Enumerable.Range(0, 3072).Select(i => (byte)((4 * 7 + i) % 256)), record4);
        // CHW: the first 1,024 bytes are the red plane, row-major.
        Assert.Equal((byte)((4 * 7 + 1024 + 33) % 256), splits.Train.Images[4, 1, 1, 1].item<byte>());
        Assert.Equal(Cifar10Binary.ClassNames, splits.Train.ClassNames);
    }

    [Fact]
    public void TruncatedFileNamesTheFile()
    {
        using var temp = new TempDirectory();
        var folder = WriteFakeRelease(temp.Path);
        var file = Path.Combine(folder, "data_batch_3.bin");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^100]);
        var error = Assert.Throws<DataFormatException>(() => Cifar10Binary.Load(folder));
        Assert.Equal(file, error.FilePath);
        Assert.Contains("3073-byte", error.Message);
    }

    [Fact]
    public void LabelOutOfRangeNamesTheFileAndRecord()
    {
        using var temp = new TempDirectory();
        var folder = WriteFakeRelease(temp.Path);
        var file = Path.Combine(folder, Cifar10Binary.TestFile);
        var bytes = File.ReadAllBytes(file);
        bytes[3073] = 42;
        File.WriteAllBytes(file, bytes);
        var error = Assert.Throws<DataFormatException>(() => Cifar10Binary.Load(folder));
        Assert.Contains(file, error.Message);
        Assert.Contains("record 1 has label 42", error.Message);
    }

    [Fact]
    public async Task MissingDataOfflineSaysWhereItLookedAndWhatToGet()
    {
        using var temp = new TempDirectory();
        var config = new TrainingConfig { Dataset = DatasetNames.Cifar10, DataDir = temp.Path, Download = false };
        var error = await Assert.ThrowsAsync<DataNotFoundException>(() => new DatasetLoader().LoadAsync(config));
        Assert.Contains(temp.Path, error.Message);
        Assert.Contains("data_batch_1..5.bin", error.Message);
        Assert.Contains("train", error.Message);
        Assert.Contains("cifar-10-binary.tar.gz", error.Message);
    }

    [Fact]
    public async Task ImageFolderLayoutWithTheTenClassesIsAcceptedForCifar10()
    {
        var config = new TrainingConfig { Dataset = DatasetNames.Cifar10, DataDir = SharedCifar10.Root, Download = false, TrainSubset = 100, TestSubset = 50 };
        using var splits = await new DatasetLoader().LoadAsync(config);
        Assert.Equal(100, splits.Train.Count);
        Assert.Equal(50, splits.Test!.Count);
        Assert.Equal(Cifar10Binary.ClassNames, splits.Train.ClassNames);
        Assert.Contains("random subset of 100 of 50000", splits.Train.Source);
    }
}
