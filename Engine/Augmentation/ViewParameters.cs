using AspireSimClr.Engine.Runtime;
using static TorchSharp.torch;

namespace AspireSimClr.Engine.Augmentation;

/// <summary>
/// The random parameters of one batch of views, one set per image, on the host: every draw comes from one
/// call of a seeded CPU generator (so views do not depend on the device), and the per-image transforms are
/// worked out here in plain arithmetic rather than in dozens of small tensor operations. Each transform has
/// its own columns of the draw, so switching one off leaves the others' draws as they were.
/// </summary>
public sealed class ViewParameters
{
    private const int CropAttempts = 10;
    // Columns of the one uniform draw per image.
    private const int AreaColumn = 0, RatioColumn = AreaColumn + CropAttempts, CentreXColumn = RatioColumn + CropAttempts,
        CentreYColumn = CentreXColumn + 1, FlipColumn = CentreYColumn + 1, JitterColumn = FlipColumn + 1, BrightnessColumn = JitterColumn + 1,
        ContrastColumn = BrightnessColumn + 1, SaturationColumn = ContrastColumn + 1, HueColumn = SaturationColumn + 1,
        GrayscaleColumn = HueColumn + 1, BlurColumn = GrayscaleColumn + 1, SigmaColumn = BlurColumn + 1, SolarizeColumn = SigmaColumn + 1,
        Columns = SolarizeColumn + 1;

    private ViewParameters(int batch, int blurKernelSize)
    {
        Batch = batch;
        Theta = new float[batch * 6];
        Brightness = new float[batch];
        Contrast = new float[batch];
        Saturation = new float[batch];
        HueShift = new float[batch];
        Grayscale = new bool[batch];
        BlurKernelSize = blurKernelSize;
        BlurKernels = blurKernelSize > 0 ? new float[batch * blurKernelSize] : null;
        Solarize = new bool[batch];
    }

    public int Batch { get; }

    /// <summary>[B × 6]: each image's affine crop-and-flip transform for affine_grid, row-major 2 × 3.</summary>
    public float[] Theta { get; }

    /// <summary>Colour-jitter factors, 1 (hue 0) where the jitter is not applied.</summary>
    public float[] Brightness { get; }
    public float[] Contrast { get; }
    public float[] Saturation { get; }
    public float[] HueShift { get; }

    public bool[] Grayscale { get; }

    /// <summary>0 when blur is off.</summary>
    public int BlurKernelSize { get; }

    /// <summary>[B × K] normalised 1-d Gaussians, a unit impulse where blur is not applied; null when blur is off.</summary>
    public float[]? BlurKernels { get; }

    /// <summary>All false when solarisation is off.</summary>
    public bool[] Solarize { get; }

    public static ViewParameters Sample(TrainingConfig config, int batch, int imageSize, Generator generator)
    {
        float[] u;
        using (var draw = rand([batch, Columns], generator: generator)) u = HostArrays.ToArray<float>(draw);
        var p = new ViewParameters(batch, config.BlurProbability > 0 ? BlurKernelSizeFor(imageSize) : 0);
        for (int i = 0; i < batch; i++)
        {
            var row = u.AsSpan(i * Columns, Columns);
            CropAndFlip(config, row, p.Theta.AsSpan(i * 6, 6));
            bool jitter = row[JitterColumn] < config.ColorJitterProbability;
            p.Brightness[i] = jitter ? Uniform(row[BrightnessColumn], Math.Max(0, 1 - config.Brightness), 1 + config.Brightness) : 1;
            p.Contrast[i] = jitter ? Uniform(row[ContrastColumn], Math.Max(0, 1 - config.Contrast), 1 + config.Contrast) : 1;
            p.Saturation[i] = jitter ? Uniform(row[SaturationColumn], Math.Max(0, 1 - config.Saturation), 1 + config.Saturation) : 1;
            p.HueShift[i] = jitter ? Uniform(row[HueColumn], -config.Hue, config.Hue) : 0;
            p.Grayscale[i] = row[GrayscaleColumn] < config.GrayscaleProbability;
            if (p.BlurKernels is { } kernels)
            {
                bool blur = row[BlurColumn] < config.BlurProbability;
                GaussianKernel(blur ? Uniform(row[SigmaColumn], config.BlurSigmaMin, config.BlurSigmaMax) : 0, kernels.AsSpan(i * p.BlurKernelSize, p.BlurKernelSize));
            }
            p.Solarize[i] = row[SolarizeColumn] < config.SolarizeProbability;
        }
        return p;
    }

    /// <summary>torchvision's GaussianBlur kernel size for SimCLR: about a tenth of the image side, odd, at least 3.</summary>
    public static int BlurKernelSizeFor(int imageSize) => Math.Max(3, (int)Math.Round(0.1 * imageSize) | 1);

    /// <summary>
    /// torchvision's RandomResizedCrop: area fraction and log-uniform aspect ratio, up to 10 attempts for a
    /// crop that fits, else the whole image (a square image's centre crop); then the horizontal flip.
    /// </summary>
    private static void CropAndFlip(TrainingConfig config, ReadOnlySpan<float> row, Span<float> theta)
    {
        double width = 1, height = 1;
        for (int attempt = 0; attempt < CropAttempts; attempt++)
        {
            double area = Uniform(row[AreaColumn + attempt], config.CropScaleMin, config.CropScaleMax);
            double ratio = Math.Exp(Uniform(row[RatioColumn + attempt], Math.Log(config.CropRatioMin), Math.Log(config.CropRatioMax)));
            double w = Math.Sqrt(area * ratio), h = Math.Sqrt(area / ratio);
            if (w > 1 || h > 1) continue;
            (width, height) = (w, h);
            break;
        }
        double centreX = row[CentreXColumn] * (1 - width) + width / 2;
        double centreY = row[CentreYColumn] * (1 - height) + height / 2;
        double flip = row[FlipColumn] < config.FlipProbability ? -1 : 1;
        theta[0] = (float)(width * flip);
        theta[1] = 0;
        theta[2] = (float)(centreX * 2 - 1);
        theta[3] = 0;
        theta[4] = (float)height;
        theta[5] = (float)(centreY * 2 - 1);
    }

    /// <summary>A normalised Gaussian; sigma 0 gives the unit impulse (no blur).</summary>
    private static void GaussianKernel(double sigma, Span<float> kernel)
    {
        int centre = kernel.Length / 2;
        if (sigma <= 0)
        {
            kernel.Clear();
            kernel[centre] = 1;
            return;
        }
        double sum = 0;
        for (int k = 0; k < kernel.Length; k++) sum += Math.Exp(-Math.Pow(k - centre, 2) / (2 * sigma * sigma));
        for (int k = 0; k < kernel.Length; k++) kernel[k] = (float)(Math.Exp(-Math.Pow(k - centre, 2) / (2 * sigma * sigma)) / sum);
    }

    private static float Uniform(float u, double low, double high) => (float)(u * (high - low) + low);
}
