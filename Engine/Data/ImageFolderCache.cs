using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Data;

/// <summary>
/// Decoded pixels of an image folder, stored in one file whose name carries a fingerprint of the
/// folder (every file's path, size and modification time) and the image size: any change to the
/// files selects a new cache file, and stale ones for the same folder are removed.
/// </summary>
/// <remarks>
/// The file is written as the images are decoded and read by memory-mapping it, so the pixels live
/// in the kernel's page cache (shared, evictable) rather than in the process: a million 32-px images
/// (3 GB) train without 3 GB of the process's own memory, and two trainers reading one folder share it.
/// Layout: a 64-byte header (magic, count, image size, labelled flag), int64 labels when labelled,
/// then uint8 pixels [count, 3, size, size].
/// </remarks>
internal sealed class ImageFolderCache
{
    private static readonly byte[] Magic = "SIMCLR-IMAGECACHE-2\n"u8.ToArray();
    private const int HeaderBytes = 64;
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

    private long PixelBytes(long count) => count * 3 * _imageSize * _imageSize;

    /// <summary>The cached images, memory-mapped (read-only to the file: writes to the tensor stay private), or null when there is no valid cache.</summary>
    public (Tensor Images, long[]? Labels)? TryRead()
    {
        if (!File.Exists(_path)) return null;
        long length, labelBytes;
        int count;
        long[]? labels = null;
        try
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read);
            length = stream.Length;
            var header = new byte[HeaderBytes];
            stream.ReadExactly(header);
            if (!header.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
            count = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(32));
            int size = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(36));
            bool labelled = header[40] == 1;
            labelBytes = labelled ? 8L * count : 0;
            if (count <= 0 || size != _imageSize || length != HeaderBytes + labelBytes + PixelBytes(count)) return null;
            if (labelled)
            {
                labels = new long[count];
                stream.ReadExactly(MemoryMarshal.AsBytes(labels.AsSpan()));
                if (!BitConverter.IsLittleEndian)
                    for (int i = 0; i < count; i++) labels[i] = BinaryPrimitives.ReverseEndianness(labels[i]);
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
        using var file = from_file(_path, shared: false, size: length, dtype: ScalarType.Byte);
        var images = file.narrow(0, HeaderBytes + labelBytes, PixelBytes(count)).view(count, 3, _imageSize, _imageSize);
        return (images, labels);
    }

    /// <summary>
    /// Starts a new cache file for <paramref name="count"/> images, or returns null when it cannot be
    /// written (read-only folder, or too little free space for it): training then decodes into memory.
    /// </summary>
    public Writer? TryCreateWriter(int count, long[]? labels)
    {
        long bytes = HeaderBytes + (labels is null ? 0 : 8L * count) + PixelBytes(count);
        try
        {
            Directory.CreateDirectory(_cacheDir);
            RemoveAbandonedTemporaries();
            if (new DriveInfo(Path.GetFullPath(_cacheDir)).AvailableFreeSpace < bytes + (64L << 20)) return null;
            var temporary = _path + $".{Environment.ProcessId}.tmp";
            var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
            var header = new byte[HeaderBytes];
            Magic.CopyTo(header, 0);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(32), count);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(36), _imageSize);
            header[40] = labels is null ? (byte)0 : (byte)1;
            var writer = new Writer(this, stream, temporary, bytes);
            writer.Append(header);
            if (labels is not null)
            {
                var buffer = new byte[8 * labels.Length];
                for (int i = 0; i < labels.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(8 * i), labels[i]);
                writer.Append(buffer);
            }
            return writer;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // A process killed while writing leaves its temporary file behind; remove those of processes that are gone.
    private void RemoveAbandonedTemporaries()
    {
        foreach (var temporary in Directory.GetFiles(_cacheDir, _prefix + "*.tmp"))
        {
            var pidText = Path.GetExtension(Path.GetFileNameWithoutExtension(temporary)).TrimStart('.');
            if (int.TryParse(pidText, out var pid) && pid != Environment.ProcessId && LocalProcess.IsRunning(pid)) continue;
            try { File.Delete(temporary); }
            catch (IOException) { }
        }
    }

    /// <summary>Writes the cache file as images are decoded; only <see cref="Commit"/> makes it visible.</summary>
    public sealed class Writer : IDisposable
    {
        private readonly ImageFolderCache _cache;
        private readonly FileStream _stream;
        private readonly string _temporary;
        private readonly long _expectedBytes;
        private bool _committed;

        internal Writer(ImageFolderCache cache, FileStream stream, string temporary, long expectedBytes)
        {
            _cache = cache;
            _stream = stream;
            _temporary = temporary;
            _expectedBytes = expectedBytes;
        }

        public void Append(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

        public void Commit()
        {
            if (_stream.Position != _expectedBytes)
                throw new InvalidOperationException($"cache file has {_stream.Position} of {_expectedBytes} bytes");
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            File.Move(_temporary, _cache._path, overwrite: true);
            _committed = true;
            foreach (var stale in Directory.GetFiles(_cache._cacheDir, _cache._prefix + "*.bin").Where(f => f != _cache._path))
            {
                try { File.Delete(stale); }
                catch (IOException) { }
            }
        }

        public void Dispose()
        {
            if (_committed) return;
            try { _stream.Dispose(); }
            catch (IOException) { } // the disk filled up: the buffered rest cannot be written either
            try { File.Delete(_temporary); }
            catch (IOException) { }
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
