using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Data;
using AspireSimClr.Engine.Evaluation;
using AspireSimClr.Engine.Models;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Evaluation;

public class LabelEfficiencyTests
{
    [Fact]
    public void BalancedSubsetsTakeTheSameShareOfEveryClassSeeded()
    {
        // 3 classes of 200, 100 and 7 images.
        long[] labels = [.. Enumerable.Repeat(0L, 200), .. Enumerable.Repeat(1L, 100), .. Enumerable.Repeat(2L, 7)];
        new Random(3).Shuffle(labels);
        var tenth = BalancedLabelSubset.Draw(labels, 3, 0.1, seed: 42);
        Assert.Equal([20, 10, 1], Enumerable.Range(0, 3).Select(c => tenth.Count(i => labels[i] == c)));
        Assert.Equal(tenth.Order(), tenth);
        Assert.Equal(tenth.Length, tenth.Distinct().Count());
        Assert.Equal(tenth, BalancedLabelSubset.Draw(labels, 3, 0.1, seed: 42));
        Assert.NotEqual(tenth, BalancedLabelSubset.Draw(labels, 3, 0.1, seed: 43));
        // At least one image of each class, however small the share.
        Assert.Equal([1, 1, 1], Enumerable.Range(0, 3).Select(c => BalancedLabelSubset.Draw(labels, 3, 0.001, 1).Count(i => labels[i] == c)));
        Assert.Equal(Enumerable.Range(0, labels.Length), BalancedLabelSubset.Draw(labels, 3, 1.0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BalancedLabelSubset.Draw(labels, 3, 0, 1));
    }

    [Theory]
    [InlineData("linear", "linear", 1.0)]
    [InlineData("linear@1%", "linear", 0.01)]
    [InlineData("fine-tune@10%", "fine-tune", 0.1)]
    public void LabelEfficiencyKindsReadBackTheirProtocolAndShare(string kind, string protocol, double fraction)
    {
        Assert.True(EvaluationKinds.TryReadLabels(kind, out var p, out var f));
        Assert.Equal((protocol, fraction), (p, f));
        if (fraction < 1) Assert.Equal(kind, EvaluationKinds.WithLabels(protocol, fraction));
    }

    [Theory]
    [InlineData("knn")]
    [InlineData("linear@")]
    [InlineData("linear@ten%")]
    [InlineData("kmeans@10%")]
    [InlineData(null)]
    public void OtherKindsAreNotLabelEfficiencyPoints(string? kind) => Assert.False(EvaluationKinds.TryReadLabels(kind, out _, out _));

    [Fact]
    public async Task FineTuningLearnsFromTheLabelledShareAndLeavesTheEncoderAlone()
    {
        var config = new TrainingConfig
        {
            Dataset = DatasetNames.Cifar10, DataDir = SharedCifar10.Root, Download = false, TrainSubset = 2000, TestSubset = 500,
            Model = ModelNames.CompactCnn, FineTuneEpochs = 4, FineTuneLearningRate = 1e-3, Threads = 2,
        };
        using var data = await new DatasetLoader().LoadAsync(config);
        manual_seed(1);
        using var encoder = EncoderFactory.Create(config.Model, config.ImageSize);
        var before = encoder.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var evaluator = new EncoderEvaluator(config, Normalization.Compute(data.Train.Images), CPU);

        var result = evaluator.FineTune(0, 0.5, encoder, data);
        Assert.Equal("fine-tune@50%", result.Kind);
        Assert.InRange(result.TrainImages, 990, 1010);
        // From random weights, four epochs on 1,000 labelled images: well above chance (10 %).
        Assert.True(result.Top1 > 0.2, $"fine-tuned top-1 {result.Top1:P1}");
        Assert.All(encoder.state_dict(), p => Assert.True(Tensors.Identical(before[p.Key], p.Value), p.Key));
    }
}
