using System.Data.Common;
using Npgsql;

namespace AspireSimClr.Trainer.Runs.Storage;

/// <summary>A PostgreSQL database that several trainer processes share (scale-out).</summary>
public sealed class PostgresRunDatabase(string connectionString) : RunDatabase
{
    /// <summary>Key of the advisory lock that keeps processes starting together from creating or upgrading the schema at once.</summary>
    private const long SchemaLock = 0x53_494D_434C_52;   // "SIMCLR"
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    public override string Description
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        }
    }

    public override DbConnection Open() => _source.OpenConnection();

    public override void BeforeSchema(DbConnection connection, DbTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({SchemaLock})";
        command.ExecuteNonQuery();
    }

    public override bool Shared => true;

    public override bool BatchesRows => true;

    public override void AddColumnIfMissing(DbConnection connection, DbTransaction transaction, string table, string column, string definition)
    {
        // Looked up first: even a no-op ALTER TABLE takes the table's exclusive lock, which would queue every other
        // trainer's reads behind the row locks they hold (a deadlock when several trainers start while others work).
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table AND column_name = @column";
        exists.Parameters.Add(new NpgsqlParameter("table", table));
        exists.Parameters.Add(new NpgsqlParameter("column", column));
        if (Convert.ToInt64(exists.ExecuteScalar()) > 0) return;
        using var add = connection.CreateCommand();
        add.Transaction = transaction;
        add.CommandText = $"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {definition}";
        add.ExecuteNonQuery();
    }

    public override string ForUpdate => " FOR UPDATE";
}
