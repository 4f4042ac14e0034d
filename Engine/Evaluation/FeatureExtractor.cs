using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Evaluation;

/// <summary>Representations f(x) of a whole dataset, without augmentation, in evaluation mode.</summary>
public static class FeatureExtractor
{
    public static Tensor Extract(Encoder encoder, ImageDataset dataset, Normalization normalization, int imageSize, Device device, int batchSize = 512, ScalarType? computeType = null, CancellationToken cancellationToken = default)
    {
        bool wasTraining = encoder.training;
        encoder.eval();
        // Written batch by batch into one preallocated bank: no list of chunks plus their concatenation (2× the bank).
        Tensor? bank = null;
        try
        {
            using var noGrad = no_grad();
            for (long start = 0; start < dataset.Count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                long size = Math.Min(batchSize, dataset.Count - start);
                var batch = dataset.Images.narrow(0, start, size).to(device);
                var input = normalization.Prepare(batch, imageSize);
                if (computeType is { } type) input = input.to_type(type);
                var features = encoder.forward(input).to_type(ScalarType.Float32);
                bank ??= empty([dataset.Count, features.shape[1]], ScalarType.Float32, device).MoveToOuterDisposeScope();
                bank.narrow(0, start, size).copy_(features);
            }
            return bank ?? empty([0, 0], ScalarType.Float32, device);
        }
        catch
        {
            bank?.Dispose();
            throw;
        }
        finally
        {
            encoder.train(wasTraining);
        }
    }
}
