using TorchSharp;
using AspireSimClr.Engine.Losses;
using AspireSimClr.Engine.Models;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Methods.Dino;

/// <summary>
/// DINO (Caron et al. 2021), self-distillation without labels: the student matches the momentum teacher's sharpened,
/// centred distribution over K prototypes of the other full-size view (<see cref="DinoLoss"/>), with any small crops as
/// further student views. The centre follows the teacher's mean output by moving average after each step; the prototypes
/// get no gradient for the first <see cref="TrainingConfig.DinoFreezePrototypesEpochs"/> epochs (the paper's frozen last layer).
/// </summary>
public sealed class DinoMethod : ISslMethod
{
    private readonly TrainingConfig _config;
    private readonly DinoNetwork _student;
    private readonly MomentumTarget _teacher;
    private readonly Tensor _center;
    private Tensor? _batchCenter;

    public DinoMethod(TrainingConfig config, Device device)
    {
        _config = config;
        _student = new DinoNetwork(config);
        _student.to(device);
        _teacher = new MomentumTarget(config, _student, () => new DinoNetwork(config), device);
        _center = zeros(1, config.DinoPrototypes, device: device).DetachFromDisposeScope();
        Views = ProjectionMethod.ViewsOf(config);
    }

    public static OnlineNetwork CreateOnline(TrainingConfig config) => new DinoNetwork(config);

    public OnlineNetwork Online => _student;

    public IReadOnlyList<TrainingConfig> Views { get; }

    /// <summary>The centre subtracted from the teacher's outputs [1, K] (for tests and inspection).</summary>
    public Tensor Center => _center;

    public Tensor Loss(MethodBatch batch)
    {
        using var scope = NewDisposeScope();
        var teacher = _teacher.Forward(batch.FullSizeViews);
        var loss = DinoLoss.Compute(batch.Outputs, teacher, _center, batch.Images, _config.DinoStudentTemperature, _config.DinoTeacherTemperature);
        _batchCenter?.Dispose();
        // Owned here until AfterStep moves the centre, whatever dispose scope the step runs in.
        _batchCenter = teacher.mean([0], keepdim: true).DetachFromDisposeScope();
        return loss.MoveToOuterDisposeScope();
    }

    public void BeforeOptimizerStep(TrainingProgress progress)
    {
        // Step counts from 1; TotalSteps = epochs × steps per epoch, so this is the epoch the step belongs to.
        if (progress.EpochOf(_config.Epochs) < _config.DinoFreezePrototypesEpochs) _student.Prototypes.grad?.zero_();
    }

    public void AfterStep(TrainingProgress progress)
    {
        _teacher.Update(progress);
        if (_batchCenter is null) return;
        using (no_grad()) _center.mul_(_config.DinoCenterMomentum).add_(_batchCenter, alpha: 1 - _config.DinoCenterMomentum);
        _batchCenter.Dispose();
        _batchCenter = null;
    }

    public void SaveState(BinaryWriter writer)
    {
        _teacher.Save(writer);
        using var host = _center.cpu();
        host.Save(writer);
    }

    public void LoadState(BinaryReader reader)
    {
        _teacher.Load(reader);
        using var host = Tensor.Load(reader);
        if (!host.shape.SequenceEqual(_center.shape))
            throw new InvalidDataException($"The checkpoint's DINO centre is [{string.Join(", ", host.shape)}], this run's is [{string.Join(", ", _center.shape)}].");
        using var noGrad = no_grad();
        _center.copy_(host);
    }

    public void Dispose()
    {
        _batchCenter?.Dispose();
        _center.Dispose();
        _teacher.Dispose();
        _student.Dispose();
    }
}
