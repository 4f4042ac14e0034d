using AspireSimClr.Engine;
using AspireSimClr.Engine.Data;

namespace AspireSimClr.Trainer.Tests.Augmentation;

public class SettingsAdvisorTests
{
    private static readonly ViewOverlap Overlapping = new(4096, 0.3, 0.02);

    private static FolderCensus.ClassFolder Class(string name, int images) =>
        new(name, Enumerable.Range(0, images).Select(i => $"/data/train/{name}/{i}.jpg").ToList());

    private static FolderCensus Census(params FolderCensus.ClassFolder[] classes) => new("/data/train", classes, []);

    private static IReadOnlyList<string> Codes(TrainingConfig config, ViewOverlap? overlap = null, FolderCensus? train = null, FolderCensus? test = null) =>
        SettingsAdvisor.Advise(config, overlap ?? Overlapping, train, test).Select(a => a.Code).ToList();

    [Fact]
    public void TheDefaultsGetNoAdvice() => Assert.Empty(Codes(new TrainingConfig()));

    [Fact]
    public void SimClrWithASmallBatchIsWarnedOfFewNegativesButByolIsNot()
    {
        var advice = SettingsAdvisor.Advise(new TrainingConfig { BatchSize = 32 }, Overlapping, null, null);
        var fewNegatives = Assert.Single(advice);
        Assert.Equal(("few-negatives", "batchSize"), (fewNegatives.Code, fewNegatives.Field));
        Assert.Contains("62 negatives", fewNegatives.Message);
        Assert.Empty(Codes(new TrainingConfig { BatchSize = 32, Method = MethodNames.Byol }));
    }

    [Fact]
    public void CropsThatOftenShareNothingAreWarned()
    {
        Assert.Equal(["views-share-nothing"], Codes(new TrainingConfig(), new ViewOverlap(4096, 0.05, 0.45)));
    }

    [Fact]
    public void ViewsWithoutColourJitterAreWarned()
    {
        Assert.Equal(["no-colour-distortion"], Codes(new TrainingConfig { ColorJitterProbability = 0 }));
        Assert.Equal(["no-colour-distortion"], Codes(new TrainingConfig { Brightness = 0, Contrast = 0, Saturation = 0, Hue = 0 }));
    }

    [Fact]
    public void FolderProblemsAreEachWarned()
    {
        var config = new TrainingConfig { Dataset = DatasetNames.ImageFolder, BatchSize = 8, Method = MethodNames.Vicreg };
        var balanced = Census(Class("cat", 40), Class("dog", 40));
        Assert.Empty(Codes(config, train: balanced, test: Census(Class("cat", 5), Class("dog", 5))));
        Assert.Equal(["no-test-split"], Codes(config, train: balanced));
        Assert.Equal(["unbalanced-classes"], Codes(config, train: Census(Class("cat", 400), Class("dog", 40)), test: balanced));
        Assert.Equal(["empty-class-folder"], Codes(config, train: Census(Class("cat", 40), Class("dog", 40), Class("fox", 0)), test: Census(Class("cat", 5), Class("dog", 5), Class("fox", 5))));
        Assert.Equal(["test-classes-differ"], Codes(config, train: balanced, test: Census(Class("cat", 5), Class("fox", 5))));
        Assert.Equal(["unlabelled"], Codes(config, train: new FolderCensus("/data", [], ["/data/a.jpg", "/data/b.jpg", "/data/c.jpg", "/data/d.jpg", "/data/e.jpg", "/data/f.jpg", "/data/g.jpg", "/data/h.jpg"])));
        Assert.Contains("mixed-layout", Codes(config, train: new FolderCensus("/data/train", balanced.Classes, ["/data/train/stray.jpg"]), test: balanced));
        Assert.Equal(["fewer-images-than-batch", "no-test-split"], Codes(config with { BatchSize = 256 }, train: balanced));
    }
}
