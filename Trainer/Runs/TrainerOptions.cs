namespace AspireSimClr.Trainer.Runs;

/// <summary>Service settings, bound from the "Trainer" configuration section.</summary>
public sealed class TrainerOptions
{
    public const string Section = "Trainer";

    /// <summary>Folder for the SQLite database, run checkpoints and datasets.</summary>
    public string DataRoot { get; set; } = "data";

    /// <summary>Where datasets are looked for when a run names none (default: DataRoot/datasets/&lt;dataset&gt;).</summary>
    public string? DatasetsRoot { get; set; }

    /// <summary>
    /// Folders a run's dataDir and cacheDir may lie under (after links and ".." are resolved).
    /// Empty: the data root and the datasets root.
    /// </summary>
    public List<string> DataRoots { get; set; } = [];

    public IReadOnlyList<string> AllowedDataRoots => DataRoots.Count > 0
        ? DataRoots
        : DatasetsRoot is null ? [DataRoot] : [DataRoot, DatasetsRoot];

    /// <summary>When set, mutating endpoints require it in the X-Api-Key header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Queue runs that a crash or shutdown interrupted again when the trainer starts, instead of waiting for a click on Resume.</summary>
    public bool AutoResumeInterrupted { get; set; }

    /// <summary>
    /// Whether reading runs, metrics and the hub also needs the API key. Unset: only when the trainer
    /// listens on an address beyond loopback.
    /// </summary>
    public bool? RequireKeyForReads { get; set; }

    /// <summary>Most mutating API calls per minute from one client (by API key, else address).</summary>
    public int MutationsPerMinute { get; set; } = 120;

    /// <summary>Runs trained at the same time on the device.</summary>
    public int MaxConcurrentRuns { get; set; } = 1;

    /// <summary>
    /// This trainer's name as a worker: the owner of the leases on the runs it trains. Default: host, process id and a
    /// random suffix, so that a restarted process is a new worker.
    /// </summary>
    public string WorkerName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..4]}";

    /// <summary>
    /// How long a worker's claim on a run lasts without renewal. A worker renews every third of it while training; when
    /// one dies, any trainer on the same database marks its run interrupted once the lease has run out.
    /// </summary>
    public double LeaseSeconds { get; set; } = 30;

    /// <summary>Most SignalR metric messages per second and run.</summary>
    public int MaxMetricMessagesPerSecond { get; set; } = 10;

    public string DatabasePath => Path.Combine(DataRoot, "trainer.db");
    public string RunFolder(string runId) => Path.Combine(DataRoot, "runs", runId);
    public string DefaultDataDir(string dataset) => Path.Combine(DatasetsRoot ?? Path.Combine(DataRoot, "datasets"), dataset);
}
