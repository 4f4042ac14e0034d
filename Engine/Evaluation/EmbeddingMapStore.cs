using AspireSimClr.Engine.Runtime;
using System.Text.Json;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Serialization;

namespace AspireSimClr.Engine.Evaluation;

/// <summary>
/// A run's embedding maps on disk, in its run folder: embeddings/sample.json and sample.png (the images, as one atlas)
/// and embeddings/epoch-NNNN.json per map. Files are written whole and then renamed, so a reader (or a crash) never
/// sees half of one.
/// </summary>
public sealed class EmbeddingMapStore(string runFolder)
{
    public const string FolderName = "embeddings";
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithEngineTypes();

    public string Folder { get; } = Path.Combine(runFolder, FolderName);
    public string AtlasPath => Path.Combine(Folder, "sample.png");
    private string SamplePath => Path.Combine(Folder, "sample.json");
    private string MapPath(int epoch) => Path.Combine(Folder, $"epoch-{epoch:D5}.json");

    public bool HasSample => File.Exists(SamplePath) && File.Exists(AtlasPath);

    /// <summary>Writes the sample's description and its images tiled into one PNG atlas.</summary>
    public void SaveSample(EmbeddingSample sample, ReadOnlySpan<byte> chwImages)
    {
        Directory.CreateDirectory(Folder);
        int size = sample.ImageSize, columns = sample.Columns, rows = (sample.Count + columns - 1) / columns;
        int width = columns * size, height = rows * size, plane = width * height, image = 3 * size * size;
        var atlas = new byte[3 * plane];
        for (int i = 0; i < sample.Count; i++)
        {
            int left = i % columns * size, top = i / columns * size;
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < size; y++)
                    chwImages.Slice(i * image + c * size * size + y * size, size).CopyTo(atlas.AsSpan(c * plane + (top + y) * width + left, size));
        }
        WriteWhole(AtlasPath, PngImage.Encode(atlas, width, height));
        WriteWhole(SamplePath, JsonSerializer.SerializeToUtf8Bytes(sample, Json.EngineTypeInfo<EmbeddingSample>()));
    }

    /// <summary>The sample's images, uint8 [N, 3, S, S], read back from the atlas (PNG is lossless).</summary>
    public ImageDataset ReadSampleImages(EmbeddingSample sample)
    {
        using var atlas = SkiaSharp.SKBitmap.Decode(AtlasPath) ?? throw new DataFormatException(AtlasPath, "cannot be decoded as a PNG.");
        using var rgba = atlas.Copy(SkiaSharp.SKColorType.Rgba8888);
        int size = sample.ImageSize, plane = size * size;
        var pixels = new byte[sample.Count * 3 * plane];
        var source = rgba.GetPixelSpan();
        for (int i = 0; i < sample.Count; i++)
        {
            int left = i % sample.Columns * size, top = i / sample.Columns * size;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    int from = (top + y) * rgba.RowBytes + (left + x) * 4, to = i * 3 * plane + y * size + x;
                    pixels[to] = source[from];
                    pixels[to + plane] = source[from + 1];
                    pixels[to + 2 * plane] = source[from + 2];
                }
        }
        var labels = sample.Labels?.Select(l => (long)l).ToArray();
        return new ImageDataset(TorchSharp.torch.tensor(pixels, [sample.Count, 3, size, size]), labels, sample.ClassNames, sample.Source);
    }

    public void SaveMap(EmbeddingMap map)
    {
        Directory.CreateDirectory(Folder);
        WriteWhole(MapPath(map.Epoch), JsonSerializer.SerializeToUtf8Bytes(map, Json.EngineTypeInfo<EmbeddingMap>()));
    }

    public EmbeddingSample? ReadSample() => File.Exists(SamplePath)
        ? JsonSerializer.Deserialize(File.ReadAllBytes(SamplePath), Json.EngineTypeInfo<EmbeddingSample>())
        : null;

    public EmbeddingMap? ReadMap(int epoch) => File.Exists(MapPath(epoch))
        ? JsonSerializer.Deserialize(File.ReadAllBytes(MapPath(epoch)), Json.EngineTypeInfo<EmbeddingMap>())
        : null;

    /// <summary>The epochs that have a map, in order.</summary>
    public IReadOnlyList<int> Epochs() => !Directory.Exists(Folder) ? [] : Directory.GetFiles(Folder, "epoch-*.json")
        .Select(path => int.TryParse(Path.GetFileNameWithoutExtension(path)["epoch-".Length..], out int epoch) ? epoch : -1)
        .Where(epoch => epoch >= 0).Order().ToList();

    /// <summary>Removes the maps after <paramref name="epoch"/> epochs: a resume from there makes them again.</summary>
    public void DeleteAfter(int epoch)
    {
        foreach (var later in Epochs().Where(e => e > epoch)) File.Delete(MapPath(later));
    }

    private static void WriteWhole(string path, byte[] bytes) => AtomicFile.Write(path, bytes);
}
