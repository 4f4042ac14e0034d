using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Evaluation;

/// <summary>
/// Linear evaluation on frozen features: the features are standardised with the train split's
/// statistics, a linear classifier is trained with Adam and cross entropy on mini-batches, and the
/// top-1 accuracy on the test features is reported.
/// </summary>
public static class LinearProbe
{
    public static double Top1(Tensor trainFeatures, long[] trainLabels, Tensor testFeatures, long[] testLabels, int classes, int epochs, double learningRate, long seed, int batchSize = 256, CancellationToken cancellationToken = default) =>
        Train(trainFeatures, trainLabels, classes, epochs, learningRate, seed, batchSize, cancellationToken).Top1(testFeatures, testLabels);

    public static LinearClassifier Train(Tensor trainFeatures, long[] trainLabels, int classes, int epochs, double learningRate, long seed, int batchSize = 256, CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        var device = trainFeatures.device;
        var mean = trainFeatures.mean([0], keepdim: true);
        var std = trainFeatures.std(0, keepdim: true).clamp_min(1e-6);
        var train = (trainFeatures - mean) / std;
        var trainTargets = tensor(trainLabels, device: device);

        using var generator = new Generator((ulong)seed);
        using var classifier = nn.Linear(train.shape[1], classes);
        classifier.to(device);
        using var optimizer = optim.Adam(classifier.parameters(), lr: learningRate, weight_decay: 1e-5);
        var schedule = new Optimization.WarmupCosineSchedule(learningRate, 0, 0, (long)epochs * ((train.shape[0] + batchSize - 1) / batchSize));
        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            using var epochScope = NewDisposeScope();
            var order = randperm(train.shape[0], generator: generator).to(device);
            for (long start = 0; start < order.shape[0]; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var inner = NewDisposeScope();
                foreach (var group in optimizer.ParamGroups) group.LearningRate = schedule.RateAt(step++);
                var index = order.narrow(0, start, Math.Min(batchSize, order.shape[0] - start));
                optimizer.zero_grad();
                var loss = F.cross_entropy(classifier.forward(train.index_select(0, index)), trainTargets.index_select(0, index));
                loss.backward();
                optimizer.step();
            }
        }
        return new LinearClassifier(
            Runtime.HostArrays.ToArray<float>(mean), Runtime.HostArrays.ToArray<float>(std),
            Runtime.HostArrays.ToArray<float>(classifier.weight!.detach()), Runtime.HostArrays.ToArray<float>(classifier.bias!.detach()), classes);
    }
}
