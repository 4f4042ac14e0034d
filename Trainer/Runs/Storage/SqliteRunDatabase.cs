using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AspireSimClr.Trainer.Runs.Storage;

/// <summary>One SQLite file: the embedded default, for one trainer process.</summary>
public sealed class SqliteRunDatabase : RunDatabase
{
    private readonly string _connectionString;
    private readonly string _path;

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

    public override bool Shared => false;

    public override bool BatchesRows => false;

    public override void AddColumnIfMissing(DbConnection connection, DbTransaction transaction, string table, string column, string definition)
    {
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
        if (Convert.ToInt64(exists.ExecuteScalar()) > 0) return;
        using var add = connection.CreateCommand();
        add.Transaction = transaction;
        add.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
        add.ExecuteNonQuery();
    }

    // A write transaction in SQLite locks the whole file; the store's own lock orders its writers.
    public override string ForUpdate => "";
}
