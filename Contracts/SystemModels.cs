namespace AspireSimClr.Contracts;

/// <summary>The machine a trainer runs on: devices, threads, memory and library versions.</summary>
public sealed record SystemInfo(
    string DefaultDevice, bool CudaAvailable, int CudaDevices, bool CudnnAvailable, IReadOnlyList<GpuDevice> Gpus, int TorchThreads, int ProcessorCount, string CpuName,
    long ResidentBytes, long PeakResidentBytes, long TotalMemoryBytes,
    string TorchSharpVersion, string DotnetVersion, string OperatingSystem);

/// <param name="Store">Where runs are kept (SQLite file or PostgreSQL host and database).</param>
public sealed record QueueStatus(int Running, int Queued, string Store);

/// <summary>What <c>GET /api/system</c> answers.</summary>
public sealed record SystemStatus(SystemInfo Machine, QueueStatus Queue, IReadOnlyList<string> Methods, IReadOnlyList<string> Models, IReadOnlyList<string> Optimizers);

/// <summary>A dataset the trainer knows, and whether its files are where a run that names no folder reads them.</summary>
public sealed record DatasetStatus(string Name, string Description, string Layout, string? DefaultDataDir, bool Present);
