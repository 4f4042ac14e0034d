using System.Data.Common;
using System.Globalization;

namespace AspireSimClr.Trainer.Runs.Storage;

/// <summary>
/// The run store's tables as numbered migrations, each applied once and recorded in <c>schema_version</c>, in one
/// transaction per upgrade (under an advisory lock on PostgreSQL, so trainers starting together upgrade once).
/// A database written before the table existed (the column list was append-only then) starts at version 0: its
/// migrations up to 12 only create and add what is missing, so it is upgraded in place like an empty one.
/// A later change (an index, a rename, a backfill) is a new entry at the end.
/// </summary>
public static class RunSchema
{
    private sealed record Migration(int Version, string Description, Action<RunDatabase, DbTransaction> Apply);

    private static readonly Migration[] Migrations =
    [
        new(1, "runs, metrics and sweeps", (_, t) => Sql.Execute(t, """
            CREATE TABLE IF NOT EXISTS runs (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, tags TEXT NOT NULL, notes TEXT NOT NULL,
                config TEXT NOT NULL, created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, failure_reason TEXT,
                epochs_completed BIGINT NOT NULL DEFAULT 0, last_loss DOUBLE PRECISION, best_knn DOUBLE PRECISION, linear_top1 DOUBLE PRECISION,
                images_per_second DOUBLE PRECISION, eta_seconds DOUBLE PRECISION, has_checkpoint BIGINT NOT NULL DEFAULT 0,
                resume_requested BIGINT NOT NULL DEFAULT 0, queue_order BIGINT NOT NULL);
            CREATE TABLE IF NOT EXISTS metrics (
                run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq BIGINT NOT NULL, kind TEXT NOT NULL,
                epoch BIGINT NOT NULL, step BIGINT, global_step BIGINT, loss DOUBLE PRECISION, lr DOUBLE PRECISION, images_per_second DOUBLE PRECISION,
                evaluation TEXT, top1 DOUBLE PRECISION, duration_s DOUBLE PRECISION, time TEXT NOT NULL, PRIMARY KEY (run_id, seq));
            CREATE TABLE IF NOT EXISTS sweeps (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, axes TEXT NOT NULL, created_at TEXT NOT NULL);
            """)),
        Column(2, "metrics", "superseded", "BIGINT NOT NULL DEFAULT 0"),
        Column(3, "runs", "history_revision", "BIGINT NOT NULL DEFAULT 0"),
        Column(4, "runs", "runtime", "TEXT"),
        Column(5, "runs", "warnings", "TEXT"),
        Column(6, "metrics", "signal_values", "TEXT"),
        Column(7, "runs", "sweep_id", "TEXT"),
        Column(8, "runs", "forked_from", "TEXT"),
        Column(9, "runs", "forked_at_epoch", "BIGINT"),
        Column(10, "runs", "lease_owner", "TEXT"),
        Column(11, "runs", "lease_expires", "TEXT"),
        Column(12, "runs", "cancel_requested", "BIGINT NOT NULL DEFAULT 0"),
        new(13, "times as UTC text of one width, which compares in time order", (_, t) =>
        {
            RewriteTimes(t, "runs", "id", "created_at", "started_at", "finished_at", "lease_expires");
            RewriteTimes(t, "sweeps", "id", "created_at");
        }),
        new(14, "queue positions that trainers queueing at once cannot share", (database, t) => database.PrepareQueueOrder(t)),
        new(15, "index for the queue: claims, positions and status filters", (_, t) => Sql.Execute(t, "CREATE INDEX IF NOT EXISTS runs_status_queue ON runs (status, queue_order)")),
        Column(16, "sweeps", "early_stopping", "TEXT"),
        new(17, "sweep_rungs: early-stopping decisions, one per sweep, rung and run", (_, t) => Sql.Execute(t, """
            CREATE TABLE IF NOT EXISTS sweep_rungs (
                sweep_id TEXT NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE, rung BIGINT NOT NULL, run_id TEXT NOT NULL,
                value DOUBLE PRECISION, rank BIGINT NOT NULL, competitors BIGINT NOT NULL, kept BIGINT NOT NULL,
                continues BIGINT NOT NULL, overridden BIGINT NOT NULL DEFAULT 0, decided_at TEXT NOT NULL,
                PRIMARY KEY (sweep_id, rung, run_id));
            """)),
        Column(18, "sweeps", "search", "TEXT"),
        Column(19, "sweeps", "base_settings", "TEXT"),
        Column(20, "sweeps", "proposed", "BIGINT NOT NULL DEFAULT 0"),
        Column(21, "sweeps", "finished_at", "TEXT"),
    ];

    /// <summary>The version a database is at once <see cref="Migrate"/> has run.</summary>
    public static int Current => Migrations[^1].Version;

    /// <summary>Creates or upgrades the schema; returns the versions applied (none when it was current).</summary>
    public static IReadOnlyList<int> Migrate(RunDatabase database) => database.Transaction(transaction =>
    {
        database.BeforeSchema(transaction);
        Sql.Execute(transaction, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
        long at = Sql.Scalar<long>(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        var applied = new List<int>();
        foreach (var migration in Migrations.Where(m => m.Version > at))
        {
            migration.Apply(database, transaction);
            Sql.Execute(transaction, "INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, @at)",
                ("@version", (long)migration.Version), ("@description", migration.Description), ("@at", Sql.Time(DateTimeOffset.UtcNow)));
            applied.Add(migration.Version);
        }
        return (IReadOnlyList<int>)applied;
    });

    /// <summary>The versions recorded, oldest first.</summary>
    public static IReadOnlyList<int> Applied(RunDatabase database) => database.Transaction(transaction =>
    {
        using var command = Sql.Command(transaction, "SELECT version FROM schema_version ORDER BY version");
        using var reader = command.ExecuteReader();
        var versions = new List<int>();
        while (reader.Read()) versions.Add(Convert.ToInt32(reader.GetValue(0)));
        return (IReadOnlyList<int>)versions;
    });

    private static Migration Column(int version, string table, string column, string definition) =>
        new(version, $"{table}.{column}", (database, t) => database.AddColumnIfMissing(t, table, column, definition));

    /// <summary>Every time in the columns, written again by <see cref="Sql.Time"/> (earlier releases wrote round-trip text with an offset).</summary>
    private static void RewriteTimes(DbTransaction transaction, string table, string key, params string[] columns)
    {
        var rows = new List<(string Key, string?[] Values)>();
        using (var command = Sql.Command(transaction, $"SELECT {key}, {string.Join(", ", columns)} FROM {table}"))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                rows.Add((reader.GetString(0), columns.Select((_, i) => reader.IsDBNull(i + 1) ? null : reader.GetString(i + 1)).ToArray()));
        foreach (var (id, values) in rows)
        {
            var parameters = columns.Select((c, i) => ($"@{c}", (object?)Sql.Time(values[i] is { } text
                ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null))).Append(("@key", id)).ToArray();
            Sql.Execute(transaction, $"UPDATE {table} SET {string.Join(", ", columns.Select(c => $"{c} = @{c}"))} WHERE {key} = @key", parameters);
        }
    }
}
