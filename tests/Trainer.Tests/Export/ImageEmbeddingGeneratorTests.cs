using AspireSimClr.Embeddings;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Checkpoints;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Evaluation;
using AspireSimClr.Engine.Export;
using AspireSimClr.Engine.Runtime;
using AspireSimClr.Trainer.Tests.Support;
using Microsoft.Extensions.AI;
using SkiaSharp;

namespace AspireSimClr.Trainer.Tests.Export;

/// <summary>
/// The embedding library (ONNX Runtime and SkiaSharp, no TorchSharp) gives, for the same image files, what the engine's
/// own path gives: its image-folder loader, normalisation and encoder in TorchSharp.
/// </summary>
public class ImageEmbeddingGeneratorTests
{
    [Fact]
    public async Task EmbeddingsOfImageFilesEqualTheEnginesFeaturesOfTheSameFolder()
    {
        using var temp = new TempDirectory();
        var checkpoint = await OnnxExportTests.TrainAsync(temp.Combine("run"), ModelNames.CompactCnn, PrecisionNames.Fp32, channelsLast: false);
        using var trained = TrainedModel.Load(checkpoint, "cpu");
        var floatModel = temp.Combine("encoder.onnx");
        var byteModel = temp.Combine("encoder-uint8.onnx");
        OnnxModelExport.Save(trained, floatModel, new OnnxExportOptions());
        OnnxModelExport.Save(trained, byteModel, new OnnxExportOptions(OnnxInputType.Uint8));

        var files = WriteImages(temp.Combine("photos", "all"));
        var config = new TrainingConfig { Dataset = DatasetNames.ImageFolder, DataDir = temp.Combine("photos"), CacheDir = temp.Combine("cache"), ImageSize = 32 };
        using var data = await new DatasetLoader().LoadAsync(config);
        Assert.Equal(files.Count, data.Train.Count);
        using var engineFeatures = FeatureExtractor.Extract(trained.Network.Encoder, data.Train, trained.Normalization, 32, TorchSharp.torch.CPU);
        var expected = HostArrays.ToArray<float>(engineFeatures);

        var contents = files.Select(f => new DataContent(File.ReadAllBytes(f), f.EndsWith(".png") ? "image/png" : "image/jpeg") { Name = Path.GetFileName(f) }).ToList();
        foreach (var model in new[] { floatModel, byteModel })
        {
            using var generator = new OnnxImageEmbeddingGenerator(model, new ImageEmbeddingGeneratorOptions { Normalize = false, BatchSize = 7 });
            Assert.Equal(256, generator.Dimensions);
            Assert.Equal(32, generator.Model.ImageSize);
            var embeddings = await generator.GenerateAsync(contents);
            Assert.Equal(files.Count, embeddings.Count);
            var actual = embeddings.SelectMany(e => e.Vector.ToArray()).ToArray();
            double worst = expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max();
            Assert.True(worst <= 1e-4, $"{Path.GetFileName(model)}: max |generator − engine| = {worst:E2}");
        }
    }

    [Fact]
    public async Task AnUpscaledCroppedCopyFindsItsOriginalAsTheMostSimilarImage()
    {
        using var temp = new TempDirectory();
        var model = await ExportedModelAsync(temp, ModelNames.CompactCnn);
        var files = WriteImages(temp.Combine("photos"));
        using IEmbeddingGenerator<DataContent, Embedding<float>> generator = new OnnxImageEmbeddingGenerator(model);
        var embeddings = await generator.GenerateAsync(files.Select(f => new DataContent(File.ReadAllBytes(f), "image/png")));
        var vectors = embeddings.Select(e => e.Vector.ToArray()).ToList();
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4));

        // Files 0..11 are CIFAR-10 test images, 12..23 the same images scaled up to 80×56.
        int found = 0;
        for (int query = 12; query < 24; query++)
        {
            var best = Enumerable.Range(0, 12).MaxBy(i => System.Numerics.Tensors.TensorPrimitives.Dot<float>(vectors[query], vectors[i]));
            if (best == query - 12) found++;
        }
        Assert.True(found >= 10, $"{found} of 12 scaled copies found their original first");
    }

    [Fact]
    public async Task ImagesThatCannotBeReadAreRefusedNamingTheImage()
    {
        using var temp = new TempDirectory();
        var model = await ExportedModelAsync(temp, ModelNames.TinyCnn);
        using var generator = new OnnxImageEmbeddingGenerator(model);
        var good = new DataContent(File.ReadAllBytes(WriteImages(temp.Combine("photos"))[0]), "image/png");

        var text = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync([good, new DataContent("hello"u8.ToArray(), "text/plain")]));
        Assert.Contains("Image 1 has media type 'text/plain'", text.Message);
        var corrupt = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync([new DataContent(new byte[] { 1, 2, 3 }, "image/png") { Name = "broken.png" }]));
        Assert.Contains("Image 0 (broken.png) cannot be decoded", corrupt.Message);
        Assert.Throws<ArgumentException>(() => new OnnxImageEmbeddingGenerator(model, new ImageEmbeddingGeneratorOptions { Output = "projection" }));
    }

    /// <summary>A checkpoint of the model trained for a few real steps, exported as encoder.onnx (float input, embedding only).</summary>
    private static async Task<string> ExportedModelAsync(TempDirectory temp, string model)
    {
        var checkpoint = await OnnxExportTests.TrainAsync(temp.Combine("run"), model, PrecisionNames.Fp32, channelsLast: false);
        using var trained = TrainedModel.Load(checkpoint, "cpu");
        var path = temp.Combine("encoder.onnx");
        OnnxModelExport.Save(trained, path, new OnnxExportOptions());
        return path;
    }

    /// <summary>12 CIFAR-10 test JPEGs as they are, then each scaled up to 80×56 PNG (a resize and a centre crop away).</summary>
    private static List<string> WriteImages(string folder)
    {
        Directory.CreateDirectory(folder);
        var sources = Directory.GetFiles(Path.Combine(SharedCifar10.Root, "test"), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(12).ToList();
        var files = new List<string>();
        for (int i = 0; i < sources.Count; i++)
        {
            var target = Path.Combine(folder, $"{i:D3}.jpg");
            File.Copy(sources[i], target);
            files.Add(target);
        }
        for (int i = 0; i < sources.Count; i++)
        {
            using var original = SKBitmap.Decode(sources[i]);
            using var scaled = original.Resize(new SKImageInfo(80, 56), new SKSamplingOptions(SKFilterMode.Linear));
            using var png = scaled.Encode(SKEncodedImageFormat.Png, 100);
            var target = Path.Combine(folder, $"{sources.Count + i:D3}.png");
            File.WriteAllBytes(target, png.ToArray());
            files.Add(target);
        }
        return files;
    }
}
