using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AspireSimClr.Engine.Evaluation;

/// <summary>
/// Features of a sample of images as an <see cref="EmbeddingMap"/>: PCA to two dimensions of the centred,
/// L2-normalised features (what kNN compares), and each image's nearest neighbours by cosine similarity.
/// </summary>
public static class EmbeddingProjection
{
    public const int Neighbours = 8;

    /// <param name="previous">The map of an earlier epoch: each axis's sign is chosen to agree with it, so maps of consecutive epochs do not flip.</param>
    public static EmbeddingMap Project(int epoch, Tensor features, EmbeddingMap? previous = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int count = (int)features.shape[0];
        var unit = F.normalize(features.to(CPU).to_type(ScalarType.Float64), dim: 1);
        var centred = unit - unit.mean([0], keepdim: true);
        var (_, singular, vh) = linalg.svd(centred, fullMatrices: false);
        int axes = Math.Min(2, (int)vh.shape[0]);
        var coordinates = centred.mm(vh.narrow(0, 0, axes).t());
        var variance = singular.square();
        double total = variance.sum().item<double>();
        var explained = Enumerable.Range(0, 2).Select(i => i < axes && total > 0 ? variance[i].item<double>() / total : 0).ToList();

        var x = Column(coordinates, 0, axes, count);
        var y = Column(coordinates, 1, axes, count);
        if (previous is not null && previous.X.Count == count)
        {
            if (Dot(x, previous.X) < 0) Negate(x);
            if (Dot(y, previous.Y) < 0) Negate(y);
        }

        int k = Math.Min(Neighbours, count - 1);
        var neighbours = new List<IReadOnlyList<int>>(count);
        var similarities = new List<IReadOnlyList<double>>(count);
        if (k > 0)
        {
            var similarity = unit.mm(unit.t()).masked_fill(eye(count, dtype: ScalarType.Bool), double.NegativeInfinity);
            var (values, indices) = similarity.topk(k, dim: 1);
            var valueData = HostArrays.ToArray<double>(values);
            var indexData = HostArrays.ToArray<long>(indices);
            for (int i = 0; i < count; i++)
            {
                neighbours.Add(indexData.Skip(i * k).Take(k).Select(j => (int)j).ToArray());
                similarities.Add(valueData.Skip(i * k).Take(k).Select(v => Math.Round(v, 4)).ToArray());
            }
        }
        else for (int i = 0; i < count; i++) { neighbours.Add([]); similarities.Add([]); }
        return new EmbeddingMap(epoch, explained, x, y, neighbours, similarities);
    }

    private static double[] Column(Tensor coordinates, int axis, int axes, int count) =>
        axis < axes ? HostArrays.ToArray<double>(coordinates.select(1, axis)).Select(v => Math.Round(v, 5)).ToArray() : new double[count];

    private static double Dot(IReadOnlyList<double> a, IReadOnlyList<double> b) => a.Zip(b).Sum(p => p.First * p.Second);

    private static void Negate(double[] values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = -values[i];
    }
}
