using System.Data.Common;

namespace AspireSimClr.Trainer.Runs.Storage;

/// <summary>
/// Where <see cref="RunStore"/> keeps runs: the database engine's connections and the few statements that differ
/// between engines. The schema and every query are shared (BIGINT, DOUBLE PRECISION and TEXT columns, @-named
/// parameters), so both engines hold the same tables and are upgraded by the same in-place steps.
/// </summary>
public abstract class RunDatabase
{
    /// <summary>An open connection, set up for this engine.</summary>
    public abstract DbConnection Open();

    /// <summary>What the store is, for logs and the system page (no secrets).</summary>
    public abstract string Description { get; }

    /// <summary>Run once before the schema is created or upgraded, on the connection that does it (e.g. a lock against other processes).</summary>
    public virtual void BeforeSchema(DbConnection connection, DbTransaction transaction) { }

    /// <summary>Adds a column that a database written by an earlier release lacks.</summary>
    public abstract void AddColumnIfMissing(DbConnection connection, DbTransaction transaction, string table, string column, string definition);

    /// <summary>
    /// Whether several trainer processes may use the database at once. When not (an SQLite file), a starting trainer
    /// knows that runs left running belong to a process that is gone; when shared, only an expired lease says so.
    /// </summary>
    public abstract bool Shared { get; }

    /// <summary>Whether many rows go in one INSERT (a server: one round trip instead of one per row) rather than one prepared insert per row.</summary>
    public abstract bool BatchesRows { get; }

    /// <summary>Appended to a SELECT that reads a row to change it in the same transaction, so that another process waits.</summary>
    public abstract string ForUpdate { get; }
}
