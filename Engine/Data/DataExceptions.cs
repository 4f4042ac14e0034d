namespace AspireSimClr.Engine.Data;

/// <summary>A data file exists but cannot be used; the message names the file and the problem.</summary>
public sealed class DataFormatException(string filePath, string problem, Exception? inner = null)
    : Exception($"{filePath}: {problem}", inner)
{
    public string FilePath { get; } = filePath;
    public string Problem { get; } = problem;
}

/// <summary>The dataset's files are not where they were looked for.</summary>
public sealed class DataNotFoundException(string message, Exception? inner = null) : Exception(message, inner);
