using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace AspireSimClr.Engine.Data;

/// <summary>
/// Downloads and unpacks CIFAR-10's binary release. The archive is verified (MD5) and extracted in a
/// temporary folder beside the target; only a complete, verified folder is moved into place, so an
/// interrupted download leaves nothing half-made.
/// </summary>
public sealed class Cifar10Download(HttpClient http)
{
    public static readonly Uri OfficialUrl = new("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    public const string OfficialMd5 = "c32a1d4ab5d03f1284b67883e8d87530";

    public Uri Url { get; init; } = OfficialUrl;
    public string Md5 { get; init; } = OfficialMd5;

    /// <summary>Downloads into <paramref name="dataDir"/>/cifar-10-batches-bin and returns that folder.</summary>
    public async Task<string> DownloadAsync(string dataDir, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataDir);
        var target = Path.Combine(dataDir, Cifar10Binary.FolderName);
        var staging = Path.Combine(dataDir, $".download-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var archive = Path.Combine(staging, "cifar-10-binary.tar.gz");
            await using (var file = File.Create(archive))
            {
                using var response = await http.GetAsync(Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                await body.CopyToAsync(file, cancellationToken);
            }

            string actual;
            await using (var file = File.OpenRead(archive))
                actual = Convert.ToHexStringLower(await MD5.HashDataAsync(file, cancellationToken));
            if (!string.Equals(actual, Md5, StringComparison.OrdinalIgnoreCase))
                throw new DataFormatException(Url.ToString(), $"MD5 {actual} does not match the expected {Md5}; the download is corrupt and was discarded.");

            var extracted = Path.Combine(staging, "extracted");
            Directory.CreateDirectory(extracted);
            await using (var file = File.OpenRead(archive))
            await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
                await TarFile.ExtractToDirectoryAsync(gzip, extracted, overwriteFiles: true, cancellationToken);

            var unpacked = Path.Combine(extracted, Cifar10Binary.FolderName);
            if (Cifar10Binary.FindBatchFolder(unpacked) is null)
                throw new DataFormatException(Url.ToString(), $"the archive does not contain {Cifar10Binary.FolderName}/ with all six batch files.");
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(unpacked, target);
            return target;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
