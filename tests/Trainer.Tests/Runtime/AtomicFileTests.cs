using System.Diagnostics;
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

    [Fact]
    public void TheNextWriteRemovesTheTemporaryFilesOfKilledWritersAndKeepsThoseOfRunningOnes()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("latest.ckpt");
        using var gone = Process.Start("true")!;
        gone.WaitForExit();
        using var running = Process.Start("sleep", "60")!;
        try
        {
            // What a writer killed mid-write leaves: its temporary file, named by its process id.
            var abandoned = $"{path}.{gone.Id}.{Guid.NewGuid():N}.tmp";
            var inProgress = $"{path}.{running.Id}.{Guid.NewGuid():N}.tmp";
            var ours = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            var otherFile = temp.Combine($"encoder.pt.{gone.Id}.{Guid.NewGuid():N}.tmp");
            foreach (var file in new[] { abandoned, inProgress, ours, otherFile }) File.WriteAllBytes(file, [7]);

            AtomicFile.Write(path, [1, 2]);

            Assert.False(File.Exists(abandoned));
            Assert.True(File.Exists(inProgress));
            Assert.True(File.Exists(ours));
            Assert.True(File.Exists(otherFile));
            Assert.Equal([1, 2], File.ReadAllBytes(path));
        }
        finally
        {
            running.Kill();
        }
    }
}
