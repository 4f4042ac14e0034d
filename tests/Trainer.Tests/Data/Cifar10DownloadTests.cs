using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AspireSimClr.Engine.Data;
using AspireSimClr.Trainer.Tests.Support;

namespace AspireSimClr.Trainer.Tests.Data;

/// <summary>The downloader against a real HTTP server on loopback serving an archive built here.</summary>
public class Cifar10DownloadTests
{
    private static byte[] BuildArchive(string workDir)
    {
        var source = Path.Combine(workDir, "source");
        Cifar10BinaryTests.WriteFakeRelease(source, recordsPerFile: 2);
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
            TarFile.CreateFromDirectory(Path.Combine(source, Cifar10Binary.FolderName), gzip, includeBaseDirectory: true);
        return memory.ToArray();
    }

    private static async Task<T> WithServerAsync<T>(byte[] body, Func<Uri, Task<T>> action)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0)) { probe.Start(); port = ((IPEndPoint)probe.LocalEndpoint).Port; probe.Stop(); }
        var prefix = $"http://127.0.0.1:{port}/";
        using var listener = new HttpListener();
        listener.Prefixes.Add(prefix);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });
        try { return await action(new Uri(prefix + "cifar-10-binary.tar.gz")); }
        finally { await serving; listener.Stop(); }
    }

    [Fact]
    public async Task VerifiedArchiveIsExtractedIntoPlace()
    {
        using var temp = new TempDirectory();
        var archive = BuildArchive(temp.Path);
        var dataDir = temp.Combine("data");
        using var http = new HttpClient();
        var folder = await WithServerAsync(archive, url =>
            new Cifar10Download(http) { Url = url, Md5 = Convert.ToHexStringLower(MD5.HashData(archive)) }.DownloadAsync(dataDir));

        Assert.Equal(Path.Combine(dataDir, Cifar10Binary.FolderName), folder);
        using var splits = Cifar10Binary.Load(folder);
        Assert.Equal(10, splits.Train.Count);
        Assert.Equal([Cifar10Binary.FolderName], Directory.GetFileSystemEntries(dataDir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ChecksumMismatchLeavesNothingBehind()
    {
        using var temp = new TempDirectory();
        var archive = BuildArchive(temp.Path);
        var dataDir = temp.Combine("data");
        using var http = new HttpClient();
        var error = await Assert.ThrowsAsync<DataFormatException>(() => WithServerAsync(archive, url =>
            new Cifar10Download(http) { Url = url, Md5 = new string('0', 32) }.DownloadAsync(dataDir)));
        Assert.Contains("MD5", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dataDir));
    }
}
