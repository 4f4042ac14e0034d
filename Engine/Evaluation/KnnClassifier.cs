using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Evaluation;

/// <summary>
/// Weighted k-nearest-neighbour monitor (Wu et al. 2018, as lightly and solo-learn use it): cosine
/// similarity to the train bank, the k most similar vote for their class with weight exp(sim / T).
/// </summary>
public static class KnnClassifier
{
    public static double Top1(Tensor trainFeatures, long[] trainLabels, Tensor testFeatures, long[] testLabels, int classes, int k, double temperature, int chunk = 256, CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        var device = trainFeatures.device;
        var bank = F.normalize(trainFeatures, dim: 1);
        var bankLabels = tensor(trainLabels, device: device);
        var queries = F.normalize(testFeatures, dim: 1);
        var truth = tensor(testLabels, device: device);
        int neighbours = Math.Min(k, (int)bank.shape[0]);
        long correct = 0;
        for (long start = 0; start < queries.shape[0]; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var inner = NewDisposeScope();
            long size = Math.Min(chunk, queries.shape[0] - start);
            var similarity = queries.narrow(0, start, size).mm(bank.t());
            var (values, indices) = similarity.topk(neighbours, dim: 1);
            var weights = (values / temperature).exp_();
            var votes = zeros(size, classes, device: device).scatter_add_(1, bankLabels[indices], weights);
            correct += votes.argmax(1).eq(truth.narrow(0, start, size)).sum().item<long>();
        }
        return (double)correct / queries.shape[0];
    }
}
