using AspireSimClr.Engine.Runtime;
using AspireSimClr.Trainer.Tests.Support;

namespace AspireSimClr.Trainer.Tests.Runtime;

public class AtomicFileTests
{
    [Fact]
    public void AWriteThatFailsHalfwayLeavesTheOldFileWholeAndNoTemporaryFile()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("model.bin");
        AtomicFile.Write(path, [1, 2, 3]);

        // As a full disk does: some bytes written, then an IOException.
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write([9, 9, 9, 9]);
            throw new IOException("No space left on device");
        }, flushToDisk: true));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteThrough(path, temporary =>
        {
            File.WriteAllBytes(temporary, [8, 8]);
            throw new InvalidOperationException("the exporter failed");
        }));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void AWholeWriteReplacesTheFile()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("vectors.npy");
        AtomicFile.Write(path, [1, 2, 3]);
        AtomicFile.Write(path, stream => stream.Write([4, 5]), flushToDisk: true);
        Assert.Equal([4, 5], File.ReadAllBytes(path));
        AtomicFile.WriteThrough(path, temporary => File.WriteAllBytes(temporary, [6]));
        Assert.Equal([6], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void TwoWritersOfOnePathAtOnceBothSucceedAndTheLastRenameWins()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("epoch-00001.json");
        // The second write starts and ends while the first one's temporary file is open (two requests for one map).
        AtomicFile.Write(path, first =>
        {
            first.Write([1, 1]);
            AtomicFile.Write(path, [2, 2]);
            Assert.Equal([2, 2], File.ReadAllBytes(path));
            first.Write([1]);
        });
        Assert.Equal([1, 1, 1], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
    }
}
