using AspireSimClr.Engine;
using AspireSimClr.Engine.Augmentation;
using AspireSimClr.Engine.Flat;
using AspireSimClr.Engine.Losses;
using AspireSimClr.Engine.Methods;
using AspireSimClr.Engine.Methods.Dino;
using AspireSimClr.Engine.Optimization;
using AspireSimClr.Trainer.Tests.Support;
using static TorchSharp.torch;

namespace AspireSimClr.Trainer.Tests.Methods;

public class DinoTests
{
    private static readonly TrainingConfig Config = TrainingRuns.Quick() with
    {
        Method = MethodNames.Dino, Precision = PrecisionNames.Fp32, ChannelsLast = false, DinoPrototypes = 32, Optimizer = OptimizerNames.Adam, WeightDecay = 0,
    };

    [Fact]
    public void TheLossMatchesAHandComputationOverTeacherAndStudentViews()
    {
        // N = 2 images, K = 3 prototypes; the student has 3 views (two full-size, one small crop), the teacher the two full-size.
        double[][] student = [[1, 0, 0], [0, 2, 1], [0.5, 0.5, 0], [1, -1, 2], [0, 0, 3], [2, 1, 0]];
        double[][] teacher = [[0.2, 0.1, 0], [0, 0.3, 0.1], [0.1, 0.1, 0.4], [0.3, 0, 0]];
        double[] center = [0.05, 0.1, 0.0];
        double ts = 0.1, tt = 0.04;
        double[] Softmax(double[] v, double t, double[]? minus = null)
        {
            var z = v.Select((x, k) => (x - (minus?[k] ?? 0)) / t).ToArray();
            double max = z.Max(), sum = z.Sum(x => Math.Exp(x - max));
            return z.Select(x => Math.Exp(x - max) / sum).ToArray();
        }
        var terms = new List<double>();
        for (int t = 0; t < 2; t++)
            for (int s = 0; s < 3; s++)
            {
                if (s == t) continue;
                double sum = 0;
                for (int i = 0; i < 2; i++)
                {
                    var p = Softmax(teacher[t * 2 + i], tt, center);
                    var q = Softmax(student[s * 2 + i], ts);
                    sum += -p.Zip(q, (a, b) => a * Math.Log(b)).Sum();
                }
                terms.Add(sum / 2);
            }

        using var studentTensor = tensor(student.SelectMany(v => v).Select(v => (float)v).ToArray(), [6, 3]);
        using var teacherTensor = tensor(teacher.SelectMany(v => v).Select(v => (float)v).ToArray(), [4, 3]);
        using var centerTensor = tensor(center.Select(v => (float)v).ToArray(), [1, 3]);
        using var loss = DinoLoss.Compute(studentTensor, teacherTensor, centerTensor, images: 2, ts, tt);
        Assert.Equal(terms.Average(), loss.item<float>(), 4);
    }

    [Fact]
    public void TheCentreFollowsTheTeachersMeanOutputAfterEachStep()
    {
        manual_seed(1);
        using var method = new DinoMethod(Config with { DinoCenterMomentum = 0.9 }, CPU);
        using var views = randn(2 * 8, 3, 16, 16);
        using var outputs = method.Online.call(views);
        using var loss = method.Loss(new MethodBatch(views, outputs, 8));
        Assert.True(float.IsFinite(loss.item<float>()));
        Assert.Equal(0, method.Center.abs().sum().item<float>());   // moved only after the step
        method.AfterStep(new TrainingProgress(1, 10));
        // The teacher starts as a copy of the student: its mean output is the student's on the same views.
        using var expected = outputs.detach().mean([0], keepdim: true).mul(0.1);
        Assert.True(allclose(method.Center, expected, rtol: 1e-4, atol: 1e-6), "centre = 0.9 · 0 + 0.1 · teacher mean");
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(0, false)]
    public void ThePrototypesHoldStillDuringTheirFrozenEpochsOnly(int frozenEpochs, bool heldStill)
    {
        manual_seed(2);
        var config = Config with { DinoFreezePrototypesEpochs = frozenEpochs, Epochs = 2 };
        using var method = new DinoMethod(config, CPU);
        using var online = FlatNetwork.Adopt(method.Online);
        using var optimizer = OptimizerFactory.Create(config, online);
        using var step = new TrainingStep(config, method, online, optimizer, new Normalization([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]), CPU);
        method.Online.train();
        var network = (DinoNetwork)method.Online;
        using var before = network.Prototypes.detach().clone();
        using var encoderBefore = network.Encoder.parameters().First().detach().clone();
        using var generator = new Generator(5);
        using var images = randint(0, 256, [16, 3, 16, 16], dtype: ScalarType.Byte, generator: generator);
        step.Run(images, generator, new TrainingProgress(1, 10), readLoss: false);   // step 1 of 10 over 2 epochs: epoch 0
        Assert.Equal(heldStill, Tensors.Identical(before, network.Prototypes));
        Assert.False(Tensors.Identical(encoderBefore, network.Encoder.parameters().First()), "the rest trains");

        using var frozen = network.Prototypes.detach().clone();
        step.Run(images, generator, new TrainingProgress(6, 10), readLoss: false);   // step 6: epoch 1, past the frozen one
        Assert.False(Tensors.Identical(frozen, network.Prototypes));
    }
}
