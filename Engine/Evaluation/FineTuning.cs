using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Models;
using AspireSimClr.Engine.Optimization;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Evaluation;

/// <summary>
/// Semi-supervised evaluation: the pretrained encoder and a new linear head trained together with cross entropy on a
/// labelled subset (Adam, cosine decay, the head at ten times the encoder's rate; random crops with 4-pixel padding and
/// horizontal flips), then top-1 on the test split. The encoder passed in is changed: pass a copy.
/// </summary>
public static class FineTuning
{
    public const int BatchSize = 64;

    public static double Top1(Encoder encoder, ImageDataset train, int[] subset, ImageDataset test, Normalization normalization, int imageSize,
        Device device, int epochs, double learningRate, long seed, CancellationToken cancellationToken = default)
    {
        using var head = nn.Linear(encoder.FeatureDim, train.ClassNames.Count);
        head.to(device);
        encoder.to(device);
        using var optimizer = optim.Adam([
            new TorchSharp.Modules.Adam.ParamGroup(encoder.parameters(), lr: learningRate),
            new TorchSharp.Modules.Adam.ParamGroup(head.parameters(), lr: learningRate * 10)]);
        long stepsPerEpoch = (subset.Length + BatchSize - 1) / BatchSize;
        var schedule = new WarmupCosineSchedule(1.0, 0, 0, epochs * stepsPerEpoch);
        var labels = train.Labels!;
        using var generator = new Generator((ulong)seed);
        long step = 0;
        encoder.train();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            int[] order = [.. subset];
            new Random(unchecked((int)(seed * 7_919 + epoch))).Shuffle(order);
            for (int start = 0; start < order.Length; start += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
                var index = tensor(batch.Select(i => (long)i).ToArray());
                var images = normalization.Prepare(train.Images.index_select(0, index).to(device), imageSize);
                images = CropAndFlip(images, generator);
                var targets = tensor(batch.Select(i => labels[i]).ToArray(), device: device);
                double scale = schedule.RateAt(step++);
                optimizer.ParamGroups.First().LearningRate = learningRate * scale;
                optimizer.ParamGroups.Last().LearningRate = learningRate * 10 * scale;
                optimizer.zero_grad();
                var loss = F.cross_entropy(head.forward(encoder.call(images)), targets);
                loss.backward();
                optimizer.step();
            }
        }
        encoder.eval();
        using var features = FeatureExtractor.Extract(encoder, test, normalization, imageSize, device, cancellationToken: cancellationToken);
        using var noGrad = no_grad();
        using var predictions = head.forward(features).argmax(1);
        using var expected = tensor(test.Labels!, device: device);
        using var correct = predictions.eq(expected).sum();
        return (double)correct.item<long>() / test.Count;
    }

    /// <summary>Each image shifted by up to 4 pixels (zero padding, after normalisation) and flipped with p = 0.5.</summary>
    private static Tensor CropAndFlip(Tensor images, Generator generator)
    {
        long n = images.shape[0], h = images.shape[2], w = images.shape[3];
        var padded = F.pad(images, [4, 4, 4, 4]);
        var offsets = randint(0, 9, [n, 2], generator: generator);
        var flips = rand([n], generator: generator);
        var shifts = Runtime.HostArrays.ToArray<long>(offsets);
        var flip = Runtime.HostArrays.ToArray<float>(flips);
        var crops = new List<Tensor>((int)n);
        for (int i = 0; i < n; i++)
        {
            var crop = padded[i].narrow(1, shifts[2 * i + 1], h).narrow(2, shifts[2 * i], w);
            crops.Add(flip[i] < 0.5f ? crop.flip(2) : crop);
        }
        return stack(crops);
    }
}
