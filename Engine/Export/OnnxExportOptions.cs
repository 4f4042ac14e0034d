namespace AspireSimClr.Engine.Export;

/// <summary>What an exported model takes: RGB images [batch, 3, H, W] as float in [0, 1] or as bytes 0–255.</summary>
public enum OnnxInputType
{
    Float,
    Uint8,
}

/// <summary>
/// What to put in an exported ONNX model besides the encoder (output "embedding"): the projection head (output
/// "projection") and a trained linear classifier (output "logits", with its class names and test accuracy in the metadata).
/// </summary>
public sealed record OnnxExportOptions(
    OnnxInputType Input = OnnxInputType.Float,
    bool IncludeProjection = false,
    ExportClassifier? Classifier = null,
    string? RunId = null)
{
    /// <summary>A file name that tells the variants apart: encoder.onnx, encoder-uint8-projection.onnx, ….</summary>
    public string FileName => FileNameFor(Input, IncludeProjection, Classifier is not null);

    public static string FileNameFor(OnnxInputType input, bool projection, bool classifier) => "encoder"
        + (input == OnnxInputType.Uint8 ? "-uint8" : "")
        + (projection ? "-projection" : "")
        + (classifier ? "-classifier" : "")
        + ".onnx";
}
