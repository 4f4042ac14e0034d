using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Engine.Data;

/// <summary>
/// Decoded pixels of an image folder, stored in one file whose name carries a fingerprint of the
/// folder (every file's path, size and modification time) and the image size: any change to the
/// files selects a new cache file, and stale ones for the same folder are removed.
/// </summary>
internal sealed class ImageFolderCache
{
    private const string Magic = "SIMCLR-IMAGECACHE-1";
    private readonly string _path;
    private readonly string _prefix;
    private readonly string _cacheDir;
    private readonly int _imageSize;

    public ImageFolderCache(string cacheDir, string splitDir, int imageSize, IReadOnlyList<string> files, CancellationToken cancellationToken = default)
    {
        _cacheDir = cacheDir;
        _imageSize = imageSize;
        var full = Path.GetFullPath(splitDir);
        _prefix = $"{Path.GetFileName(full.TrimEnd('/'))}-{Hash(full)[..12]}-{imageSize}px-";
        var fingerprint = new StringBuilder();
        for (int i = 0; i < files.Count; i++)
        {
            // One stat per file: tens of thousands take seconds, so a stop is looked for in between.
            if (i % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
            var file = files[i];
            var info = new FileInfo(file);
            fingerprint.Append(Path.GetRelativePath(full, file)).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        _path = Path.Combine(cacheDir, _prefix + Hash(fingerprint.ToString())[..16] + ".bin");
    }

    public string FilePath => _path;

    public (Tensor Images, long[]? Labels)? TryRead()
    {
        if (!File.Exists(_path)) return null;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(_path));
            if (reader.ReadString() != Magic) return null;
            int count = reader.ReadInt32(), size = reader.ReadInt32();
            if (size != _imageSize) return null;
            long[]? labels = null;
            if (reader.ReadBoolean())
            {
                labels = new long[count];
                for (int i = 0; i < count; i++) labels[i] = reader.ReadInt64();
            }
            var pixels = reader.ReadBytes(checked(count * 3 * size * size));
            if (pixels.Length != count * 3 * size * size) return null;
            return (tensor(pixels, [count, 3, size, size], ScalarType.Byte), labels);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    public void Write(Tensor images, long[]? labels)
    {
        try
        {
            Directory.CreateDirectory(_cacheDir);
            var temporary = _path + $".{Environment.ProcessId}.tmp";
            using (var writer = new BinaryWriter(File.Create(temporary)))
            {
                writer.Write(Magic);
                writer.Write((int)images.shape[0]);
                writer.Write(_imageSize);
                writer.Write(labels is not null);
                foreach (var label in labels ?? []) writer.Write(label);
                writer.Write(images.contiguous().bytes);
            }
            File.Move(temporary, _path, overwrite: true);
            foreach (var stale in Directory.GetFiles(_cacheDir, _prefix + "*.bin").Where(f => f != _path))
                File.Delete(stale);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only data folder still trains; it only decodes again next time.
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
