using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Losses;

/// <summary>
/// DINO (Caron et al. 2021): the cross-entropy −Σₖ Pₜ(k)·log Pₛ(k) between the teacher's distribution over K prototypes
/// of one full-size view, softmax((t − centre)/τₜ) and held constant, and the student's of every other view,
/// log softmax(s/τₛ), averaged over the images and over the (teacher view, student view) pairs.
/// </summary>
public static class DinoLoss
{
    /// <param name="student">Student outputs of every view, view-major [V·N, K].</param>
    /// <param name="teacher">Teacher outputs of the two full-size views, view-major [2·N, K].</param>
    /// <param name="center">The centre [1, K] subtracted from the teacher's outputs.</param>
    public static Tensor Compute(Tensor student, Tensor teacher, Tensor center, int images, double studentTemperature, double teacherTemperature)
    {
        int views = (int)(student.shape[0] / images), fullSize = (int)(teacher.shape[0] / images);
        if (views * images != student.shape[0] || fullSize * images != teacher.shape[0] || fullSize > views)
            throw new ArgumentException($"student rows {student.shape[0]} and teacher rows {teacher.shape[0]} are not views of {images} images");
        using var scope = NewDisposeScope();
        var targets = F.softmax(teacher.detach().sub(center).div(teacherTemperature), 1);
        var logProbabilities = F.log_softmax(student.to_type(ScalarType.Float32).div(studentTemperature), 1);
        var terms = new List<Tensor>();
        for (int t = 0; t < fullSize; t++)
            for (int s = 0; s < views; s++)
                if (s != t)
                    terms.Add(targets.narrow(0, (long)t * images, images).mul(logProbabilities.narrow(0, (long)s * images, images)).sum(1).neg().mean());
        return stack(terms).mean().MoveToOuterDisposeScope();
    }
}
