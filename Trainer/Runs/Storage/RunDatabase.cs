using System.Data.Common;

namespace AspireSimClr.Trainer.Runs.Storage;

/// <summary>
/// Where the run store keeps runs: the database engine's connections and the few statements that differ between
/// engines. The schema and every query are shared (BIGINT, DOUBLE PRECISION and TEXT columns, @-named parameters),
/// so both engines hold the same tables and are upgraded by the same numbered migrations (<see cref="RunSchema"/>).
/// </summary>
public abstract class RunDatabase
{
    /// <summary>An open connection, set up for this engine.</summary>
    public abstract DbConnection Open();

    /// <summary>What the store is, for logs and the system page (no secrets).</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Whether several trainer processes may use the database at once. When not (an SQLite file), a starting trainer
    /// knows that runs left running belong to a process that is gone; when shared, only an expired lease says so.
    /// </summary>
    public abstract bool Shared { get; }

    /// <summary>Whether many rows go in one INSERT (a server: one round trip instead of one per row) rather than one prepared insert per row.</summary>
    public abstract bool BatchesRows { get; }

    /// <summary>Appended to a SELECT that reads rows of <paramref name="table"/> (its name or alias in the query) to change them in the same transaction, so that another process waits.</summary>
    public abstract string LockRows(string table);

    /// <summary>An SQL expression for the next queue position, unique even when trainers queue runs at the same moment.</summary>
    public abstract string NextQueueOrder { get; }

    /// <summary>Runs <paramref name="work"/> in a transaction that commits when it returns (reads included: one consistent view).</summary>
    public virtual T Transaction<T>(Func<DbTransaction, T> work)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var result = work(transaction);
        transaction.Commit();
        return result;
    }

    public void Transaction(Action<DbTransaction> work) => Transaction(transaction => { work(transaction); return 0; });

    /// <summary>Run first in the transaction that creates or upgrades the schema (e.g. a lock against other processes doing it).</summary>
    public virtual void BeforeSchema(DbTransaction transaction) { }

    public abstract bool TableExists(DbTransaction transaction, string table);

    /// <summary>Adds a column that a database written by an earlier release lacks.</summary>
    public abstract void AddColumnIfMissing(DbTransaction transaction, string table, string column, string definition);

    /// <summary>Sets up <see cref="NextQueueOrder"/> after the queue positions already taken.</summary>
    public virtual void PrepareQueueOrder(DbTransaction transaction) { }
}
