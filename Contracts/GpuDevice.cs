namespace AspireSimClr.Contracts;

/// <summary>
/// An NVIDIA GPU as the driver reports it: name, total and used memory (all processes), and the memory
/// this process holds on it when the driver can attribute it (not inside every container's PID namespace).
/// </summary>
public sealed record GpuDevice(int Index, string Name, long TotalBytes, long UsedBytes, long? ProcessBytes);
