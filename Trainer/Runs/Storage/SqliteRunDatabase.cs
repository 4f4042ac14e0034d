using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AspireSimClr.Trainer.Runs.Storage;

/// <summary>One SQLite file: the embedded default, for one trainer process.</summary>
public sealed class SqliteRunDatabase : RunDatabase
{
    private readonly string _connectionString;
    private readonly string _path;
    // SQLite has one writer at a time; the store's transactions take turns here instead of failing as busy.
    private readonly object _transactions = new();

    public SqliteRunDatabase(string databasePath)
    {
        _path = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL;";
        wal.ExecuteNonQuery();
    }

    public override string Description => $"SQLite {_path}";

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // WAL with synchronous=NORMAL: a commit is not fsynced (only WAL checkpoints are), so the training
        // thread that records metrics several times a second does not wait on the disk; a crashed or killed
        // process loses nothing committed, a power cut at most the last commits, never consistency.
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    public override T Transaction<T>(Func<DbTransaction, T> work)
    {
        lock (_transactions) return base.Transaction(work);
    }

    public override bool Shared => false;

    public override bool BatchesRows => false;

    // A write transaction in SQLite locks the whole file.
    public override string LockRows(string table) => "";

    // One writer at a time: the largest position plus one, read and written in one statement, cannot be taken twice.
    public override string NextQueueOrder => "(SELECT COALESCE(MAX(queue_order), 0) + 1 FROM runs)";

    public override bool TableExists(DbTransaction transaction, string table) =>
        Sql.Scalar<long>(transaction, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table", ("@table", table)) > 0;

    public override void AddColumnIfMissing(DbTransaction transaction, string table, string column, string definition)
    {
        if (Sql.Scalar<long>(transaction, $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = @column", ("@column", column)) > 0) return;
        Sql.Execute(transaction, $"ALTER TABLE {table} ADD COLUMN {column} {definition}");
    }
}
