using AspireSimClr.Trainer.Runs.Storage;

namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// The trainer's database, its schema brought up to date on opening (<see cref="RunSchema"/>), and its tables by job:
/// <see cref="Runs"/> (runs and their status moves), <see cref="History"/> (metric points), <see cref="Queue"/>
/// (claims and leases), <see cref="Sweeps"/> and <see cref="SweepRungs"/> (early-stopping decisions). One SQLite file by default, or a PostgreSQL database several trainers share.
/// </summary>
public sealed class RunStore
{
    public RunStore(string databasePath) : this(new SqliteRunDatabase(databasePath)) { }

    public RunStore(RunDatabase database)
    {
        Database = database;
        RunSchema.Migrate(database);
        Runs = new RunTable(database);
        History = new RunHistory(database);
        Queue = new RunQueue(database, Runs);
        Sweeps = new SweepTable(database);
        SweepRungs = new SweepRungTable(database);
    }

    public RunDatabase Database { get; }
    public RunTable Runs { get; }
    public RunHistory History { get; }
    public RunQueue Queue { get; }
    public SweepTable Sweeps { get; }
    public SweepRungTable SweepRungs { get; }

    /// <summary>Which database the runs are in.</summary>
    public string Description => Database.Description;

    /// <summary>Whether other trainer processes may share the database (see <see cref="RunDatabase.Shared"/>).</summary>
    public bool Shared => Database.Shared;
}
