using System.Data.Common;
using Npgsql;

namespace AspireSimClr.Trainer.Runs.Storage;

/// <summary>A PostgreSQL database that several trainer processes share (scale-out).</summary>
public sealed class PostgresRunDatabase(NpgsqlDataSource source) : RunDatabase
{
    /// <summary>Key of the advisory lock that keeps processes starting together from creating or upgrading the schema at once.</summary>
    private const long SchemaLock = 0x53_494D_434C_52;   // "SIMCLR"

    public PostgresRunDatabase(string connectionString) : this(NpgsqlDataSource.Create(connectionString)) { }

    public override string Description
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(source.ConnectionString);
            return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        }
    }

    public override DbConnection Open() => source.OpenConnection();

    public override void BeforeSchema(DbTransaction transaction) => Sql.Execute(transaction, $"SELECT pg_advisory_xact_lock({SchemaLock})");

    public override bool Shared => true;

    public override bool BatchesRows => true;

    public override string LockRows(string table) => $" FOR UPDATE OF {table}";

    // Trainers queueing runs at the same moment each get their own position (MAX + 1 in two transactions would not).
    public override string NextQueueOrder => "nextval('runs_queue_order')";

    public override bool TableExists(DbTransaction transaction, string table) =>
        Sql.Scalar<long>(transaction, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table", ("@table", table)) > 0;

    public override void AddColumnIfMissing(DbTransaction transaction, string table, string column, string definition)
    {
        // Looked up first: even a no-op ALTER TABLE takes the table's exclusive lock, which would queue every other
        // trainer's reads behind the row locks they hold (a deadlock when several trainers start while others work).
        if (Sql.Scalar<long>(transaction, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table AND column_name = @column",
            ("@table", table), ("@column", column)) > 0) return;
        Sql.Execute(transaction, $"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {definition}");
    }

    public override void PrepareQueueOrder(DbTransaction transaction)
    {
        Sql.Execute(transaction, "CREATE SEQUENCE IF NOT EXISTS runs_queue_order");
        Sql.Execute(transaction, "SELECT setval('runs_queue_order', (SELECT COALESCE(MAX(queue_order), 0) + 1 FROM runs), false)");
    }
}
