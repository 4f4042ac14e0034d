using static TorchSharp.torch;

namespace AspireSimClr.Engine.Data;

/// <summary>
/// A small seeded dataset for fast tests: four classes of stripes (horizontal or vertical, coarse or
/// fine) with random phase, random colours and noise, so that labels depend on structure, not colour.
/// </summary>
public static class SyntheticDataset
{
    public static readonly string[] ClassNames = ["horizontal-coarse", "horizontal-fine", "vertical-coarse", "vertical-fine"];

    public static DatasetSplits Create(int trainSize, int testSize, int imageSize, long seed) => new(
        Generate(trainSize, imageSize, seed, "synthetic train"),
        Generate(testSize, imageSize, seed + 1_000_003, "synthetic test"));

    public static ImageDataset Generate(int count, int size, long seed, string source)
    {
        var random = new Random(unchecked((int)seed));
        var pixels = new byte[(long)count * 3 * size * size];
        var labels = new long[count];
        int plane = size * size;
        for (int n = 0; n < count; n++)
        {
            int label = n % ClassNames.Length;
            labels[n] = label;
            bool horizontal = label < 2;
            double frequency = (label % 2 == 0 ? 2.0 : 6.0) * 2 * Math.PI / size;
            double phase = random.NextDouble() * 2 * Math.PI;
            var foreground = new[] { random.Next(256), random.Next(256), random.Next(256) };
            var background = new[] { random.Next(256), random.Next(256), random.Next(256) };
            for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double wave = 0.5 + 0.5 * Math.Sin((horizontal ? y : x) * frequency + phase);
                for (int c = 0; c < 3; c++)
                {
                    double value = wave * foreground[c] + (1 - wave) * background[c] + (random.NextDouble() - 0.5) * 24;
                    pixels[(long)n * 3 * plane + c * plane + y * size + x] = (byte)Math.Clamp(value, 0, 255);
                }
            }
        }
        return new ImageDataset(tensor(pixels, [count, 3, size, size], ScalarType.Byte), labels, ClassNames, source);
    }
}
