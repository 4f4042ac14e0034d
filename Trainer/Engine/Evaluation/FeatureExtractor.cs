using AspireSimClr.Trainer.Engine.Augmentation;
using AspireSimClr.Trainer.Engine.Data;
using AspireSimClr.Trainer.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Engine.Evaluation;

/// <summary>Representations f(x) of a whole dataset, without augmentation, in evaluation mode.</summary>
public static class FeatureExtractor
{
    public static Tensor Extract(Encoder encoder, ImageDataset dataset, Normalization normalization, int imageSize, Device device, int batchSize = 512, ScalarType? computeType = null, CancellationToken cancellationToken = default)
    {
        bool wasTraining = encoder.training;
        encoder.eval();
        var chunks = new List<Tensor>();
        try
        {
            using var noGrad = no_grad();
            for (long start = 0; start < dataset.Count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = dataset.Images.narrow(0, start, Math.Min(batchSize, dataset.Count - start)).to(device);
                var input = normalization.Prepare(batch, imageSize);
                if (computeType is { } type) input = input.to_type(type);
                chunks.Add(encoder.forward(input).to_type(ScalarType.Float32).MoveToOuterDisposeScope());
            }
            return cat(chunks);
        }
        finally
        {
            foreach (var chunk in chunks) chunk.Dispose();
            encoder.train(wasTraining);
        }
    }
}
