using System.Globalization;
using System.Text.Json;
using AspireSimClr.Engine;
using System.Data.Common;
using AspireSimClr.Trainer.Runs.Storage;

namespace AspireSimClr.Trainer.Runs;

/// <summary>Runs and their metric history in one SQLite file in the trainer's data folder.</summary>
public sealed class RunStore
{
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithTrainerTypes();
    private readonly RunDatabase _database;
    private readonly object _writeLock = new();

    public RunStore(string databasePath) : this(new SqliteRunDatabase(databasePath)) { }

    public RunStore(RunDatabase database)
    {
        _database = database;
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        database.BeforeSchema(connection, transaction);
        Execute(connection, """
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
            """);
        // Columns added after the first release: databases written before them are upgraded in place, in this order.
        void Add(string table, string column, string definition) => database.AddColumnIfMissing(connection, transaction, table, column, definition);
        Add("metrics", "superseded", "BIGINT NOT NULL DEFAULT 0");
        Add("runs", "history_revision", "BIGINT NOT NULL DEFAULT 0");
        Add("runs", "runtime", "TEXT");
        Add("runs", "warnings", "TEXT");
        Add("metrics", "signal_values", "TEXT");
        Add("runs", "sweep_id", "TEXT");
        Add("runs", "forked_from", "TEXT");
        Add("runs", "forked_at_epoch", "BIGINT");
        Add("runs", "lease_owner", "TEXT");
        Add("runs", "lease_expires", "TEXT");
        Add("runs", "cancel_requested", "BIGINT NOT NULL DEFAULT 0");
        transaction.Commit();
    }

    /// <summary>Which database the runs are in.</summary>
    public string Description => _database.Description;

    /// <summary>Whether other trainer processes may share the database (see <see cref="RunDatabase.Shared"/>).</summary>
    public bool Shared => _database.Shared;

    public Run Insert(Run run)
    {
        lock (_writeLock)
        {
            using var connection = Open();
            long order = Scalar<long>(connection, "SELECT COALESCE(MAX(queue_order), 0) + 1 FROM runs");
            run = run with { QueueOrder = order };
            Execute(connection, """
                INSERT INTO runs (id, name, status, tags, notes, config, created_at, queue_order, sweep_id, forked_from, forked_at_epoch, resume_requested, has_checkpoint)
                VALUES (@id, @name, @status, @tags, @notes, @config, @created, @order, @sweep, @forkedFrom, @forkedAt, @resume, @checkpoint)
                """, ("@sweep", run.SweepId), ("@forkedFrom", run.ForkedFrom), ("@forkedAt", run.ForkedAtEpoch), ("@resume", run.ResumeRequested ? 1 : 0),
                ("@checkpoint", run.HasCheckpoint ? 1 : 0),
                ("@id", run.Id), ("@name", run.Name), ("@status", run.Status.ToString()), ("@tags", JsonSerializer.Serialize(run.Tags, Json.TypeInfo<IReadOnlyList<string>>())),
                ("@notes", run.Notes), ("@config", JsonSerializer.Serialize(run.Config, Json.TypeInfo<TrainingConfig>())), ("@created", Format(run.CreatedAt)), ("@order", order));
            return run;
        }
    }

    public Run? Get(string id)
    {
        using var connection = Open();
        return Query(connection, "SELECT * FROM runs WHERE id = @id", ("@id", id)).FirstOrDefault();
    }

    public IReadOnlyList<Run> List(RunStatus? status = null, string? tag = null)
    {
        using var connection = Open();
        var runs = Query(connection, "SELECT * FROM runs ORDER BY created_at DESC, queue_order DESC");
        return runs.Where(r => (status is null || r.Status == status) && (tag is null || r.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase))).ToList();
    }

    /// <summary>The oldest queued run, if any.</summary>
    public Run? NextQueued()
    {
        using var connection = Open();
        return Query(connection, "SELECT * FROM runs WHERE status = 'Queued' ORDER BY queue_order LIMIT 1").FirstOrDefault();
    }

    /// <summary>Applies <paramref name="change"/> to the stored run atomically; returns the new run, or null when it does not exist.</summary>
    public Run? Update(string id, Func<Run, Run> change)
    {
        lock (_writeLock)
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            var current = Query(connection, "SELECT * FROM runs WHERE id = @id" + _database.ForUpdate, ("@id", id)).FirstOrDefault();
            if (current is null) return null;
            var updated = change(current);
            Execute(connection, """
                UPDATE runs SET name = @name, status = @status, tags = @tags, notes = @notes, config = @config,
                    started_at = @started, finished_at = @finished, failure_reason = @failure, epochs_completed = @epochs,
                    last_loss = @loss, best_knn = @knn, linear_top1 = @linear, images_per_second = @ips, eta_seconds = @eta,
                    has_checkpoint = @checkpoint, resume_requested = @resume, queue_order = @order, runtime = @runtime, warnings = @warnings
                WHERE id = @id
                """,
                ("@id", id), ("@name", updated.Name), ("@status", updated.Status.ToString()), ("@tags", JsonSerializer.Serialize(updated.Tags, Json.TypeInfo<IReadOnlyList<string>>())),
                ("@notes", updated.Notes), ("@config", JsonSerializer.Serialize(updated.Config, Json.TypeInfo<TrainingConfig>())),
                ("@started", Format(updated.StartedAt)), ("@finished", Format(updated.FinishedAt)), ("@failure", updated.FailureReason),
                ("@epochs", updated.EpochsCompleted), ("@loss", updated.LastLoss), ("@knn", updated.BestKnnTop1), ("@linear", updated.LinearTop1),
                ("@ips", updated.ImagesPerSecond), ("@eta", updated.EtaSeconds), ("@checkpoint", updated.HasCheckpoint ? 1 : 0),
                ("@resume", updated.ResumeRequested ? 1 : 0), ("@order", updated.QueueOrder),
                ("@runtime", updated.Runtime is { } runtime ? JsonSerializer.Serialize(runtime, Json.TypeInfo<RunRuntime>()) : null),
                ("@warnings", updated.Warnings.Count > 0 ? JsonSerializer.Serialize(updated.Warnings, Json.TypeInfo<IReadOnlyList<RunWarning>>()) : null));
            transaction.Commit();
            return updated;
        }
    }

    /// <summary>Moves a run to the back of the queue (used when it is resumed).</summary>
    public long NextQueueOrder()
    {
        using var connection = Open();
        return Scalar<long>(connection, "SELECT COALESCE(MAX(queue_order), 0) + 1 FROM runs");
    }

    public bool Delete(string id)
    {
        lock (_writeLock)
        {
            using var connection = Open();
            Execute(connection, "DELETE FROM metrics WHERE run_id = @id", ("@id", id));
            return Execute(connection, "DELETE FROM runs WHERE id = @id", ("@id", id)) > 0;
        }
    }

    /// <summary>Marks runs left 'Running' by a previous process as interrupted; returns their ids.</summary>
    public IReadOnlyList<string> MarkRunningAsInterrupted(string reason)
    {
        lock (_writeLock)
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            var ids = Query(connection, "SELECT * FROM runs WHERE status = 'Running'").Select(r => r.Id).ToList();
            Execute(connection, "UPDATE runs SET status = 'Interrupted', failure_reason = @reason WHERE status = 'Running'", ("@reason", reason));
            transaction.Commit();
            return ids;
        }
    }

    /// <summary>
    /// A run resumed from a checkpoint at (<paramref name="epoch"/>, <paramref name="globalStep"/>) trains
    /// again what followed it: the points recorded after that position (steps after the global step,
    /// epochs and kNN evaluations from the epoch on, and any linear probe, which always follows the last
    /// checkpoint) are marked superseded, so reads return one point per step. Their sequence numbers stay
    /// taken, so clients' cursors keep moving forward. The run's summary is recomputed from what remains
    /// and its history revision goes up when anything was superseded. Returns how many points were.
    /// </summary>
    public int SupersedeAfter(string runId, int epoch, long globalStep)
    {
        lock (_writeLock)
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            int superseded = Execute(connection, """
                UPDATE metrics SET superseded = 1
                WHERE run_id = @run AND superseded = 0 AND (
                    (kind IN ('step', 'health') AND global_step > @step) OR (kind = 'epoch' AND epoch >= @epoch)
                    OR (kind = 'evaluation' AND (evaluation <> 'knn' OR epoch >= @epoch)) OR (kind = 'embedding' AND epoch >= @epoch))
                """, ("@run", runId), ("@step", globalStep), ("@epoch", epoch));
            if (superseded > 0)
            {
                Execute(connection, """
                    UPDATE runs SET history_revision = history_revision + 1, epochs_completed = @epoch, linear_top1 = NULL,
                        best_knn = (SELECT MAX(top1) FROM metrics WHERE run_id = @run AND superseded = 0 AND kind = 'evaluation' AND evaluation = 'knn'),
                        last_loss = (SELECT loss FROM metrics WHERE run_id = @run AND superseded = 0 AND kind = 'step' ORDER BY seq DESC LIMIT 1)
                    WHERE id = @run
                    """, ("@run", runId), ("@epoch", epoch));
            }
            transaction.Commit();
            return superseded;
        }
    }

    public void AppendMetrics(string runId, IReadOnlyList<MetricPoint> points)
    {
        if (points.Count == 0) return;
        const int RowsPerStatement = 200;   // 14 parameters a row: well under SQLite's 32,766 and one round trip per 200 points
        lock (_writeLock)
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            if (!_database.BatchesRows)
            {
                AppendOneByOne(connection, transaction, runId, points);
                transaction.Commit();
                return;
            }
            foreach (var chunk in points.Chunk(RowsPerStatement))
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var rows = new List<string>(chunk.Length);
                for (int i = 0; i < chunk.Length; i++)
                {
                    var p = chunk[i];
                    rows.Add($"(@run, @seq{i}, @kind{i}, @epoch{i}, @step{i}, @global{i}, @loss{i}, @lr{i}, @ips{i}, @evaluation{i}, @top1{i}, @duration{i}, @time{i}, @values{i})");
                    AddParameter(command, $"@seq{i}", p.Sequence);
                    AddParameter(command, $"@kind{i}", p.Kind);
                    AddParameter(command, $"@epoch{i}", (long)p.Epoch);
                    AddParameter(command, $"@step{i}", p.Step is { } step ? (long)step : null);
                    AddParameter(command, $"@global{i}", p.GlobalStep);
                    AddParameter(command, $"@loss{i}", p.Loss);
                    AddParameter(command, $"@lr{i}", p.LearningRate);
                    AddParameter(command, $"@ips{i}", p.ImagesPerSecond);
                    AddParameter(command, $"@evaluation{i}", p.Evaluation);
                    AddParameter(command, $"@top1{i}", p.Top1);
                    AddParameter(command, $"@duration{i}", p.DurationSeconds);
                    AddParameter(command, $"@time{i}", Format(p.Time));
                    AddParameter(command, $"@values{i}", p.Health is { } health ? JsonSerializer.Serialize(health, Json.TypeInfo<HealthValues>()) : null);
                }
                AddParameter(command, "@run", runId);
                command.CommandText = "INSERT INTO metrics (run_id, seq, kind, epoch, step, global_step, loss, lr, images_per_second, evaluation, top1, duration_s, time, signal_values) VALUES "
                    + string.Join(", ", rows);
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    /// <summary>One prepared single-row insert, run for each point: the fastest way into SQLite, which has no round trips to save.</summary>
    private static void AppendOneByOne(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<MetricPoint> points)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO metrics (run_id, seq, kind, epoch, step, global_step, loss, lr, images_per_second, evaluation, top1, duration_s, time, signal_values)
            VALUES (@run, @seq, @kind, @epoch, @step, @global, @loss, @lr, @ips, @evaluation, @top1, @duration, @time, @values)
            """;
        var parameters = new[] { "@run", "@seq", "@kind", "@epoch", "@step", "@global", "@loss", "@lr", "@ips", "@evaluation", "@top1", "@duration", "@time", "@values" }
            .ToDictionary(n => n, n => AddParameter(command, n, null));
        foreach (var p in points)
        {
            parameters["@run"].Value = runId;
            parameters["@seq"].Value = p.Sequence;
            parameters["@kind"].Value = p.Kind;
            parameters["@epoch"].Value = p.Epoch;
            parameters["@step"].Value = (object?)p.Step ?? DBNull.Value;
            parameters["@global"].Value = (object?)p.GlobalStep ?? DBNull.Value;
            parameters["@loss"].Value = (object?)p.Loss ?? DBNull.Value;
            parameters["@lr"].Value = (object?)p.LearningRate ?? DBNull.Value;
            parameters["@ips"].Value = (object?)p.ImagesPerSecond ?? DBNull.Value;
            parameters["@evaluation"].Value = (object?)p.Evaluation ?? DBNull.Value;
            parameters["@top1"].Value = (object?)p.Top1 ?? DBNull.Value;
            parameters["@duration"].Value = (object?)p.DurationSeconds ?? DBNull.Value;
            parameters["@time"].Value = Format(p.Time);
            parameters["@values"].Value = p.Health is { } health ? JsonSerializer.Serialize(health, Json.TypeInfo<HealthValues>()) : DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// The run's current points after sequence number <paramref name="since"/>, and the highest sequence
    /// number read (superseded points included), which is where the next read continues.
    /// </summary>
    public MetricsResponse Metrics(string runId, long since = 0)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, kind, epoch, step, global_step, loss, lr, images_per_second, evaluation, top1, duration_s, time, superseded, signal_values FROM metrics WHERE run_id = @run AND seq > @since ORDER BY seq";
        AddParameter(command, "@run", runId);
        AddParameter(command, "@since", since);
        using var reader = command.ExecuteReader();
        var points = new List<MetricPoint>();
        long through = since;
        while (reader.Read())
        {
            through = reader.GetInt64(0);
            if (Convert.ToInt64(reader.GetValue(12)) != 0) continue;
            points.Add(new MetricPoint
            {
                Sequence = reader.GetInt64(0), Kind = reader.GetString(1), Epoch = Convert.ToInt32(reader.GetValue(2)),
                Step = reader.IsDBNull(3) ? null : Convert.ToInt32(reader.GetValue(3)), GlobalStep = reader.IsDBNull(4) ? null : reader.GetInt64(4),
                Loss = NullableDouble(reader, 5), LearningRate = NullableDouble(reader, 6), ImagesPerSecond = NullableDouble(reader, 7),
                Evaluation = reader.IsDBNull(8) ? null : reader.GetString(8), Top1 = NullableDouble(reader, 9), DurationSeconds = NullableDouble(reader, 10),
                Time = DateTimeOffset.Parse(reader.GetString(11), CultureInfo.InvariantCulture),
                Health = reader.IsDBNull(13) ? null : JsonSerializer.Deserialize(reader.GetString(13), Json.TypeInfo<HealthValues>()),
            });
        }
        return new MetricsResponse(runId, through, points);
    }

    public long LastSequence(string runId)
    {
        using var connection = Open();
        return LastSequence(connection, runId);
    }

    private static long LastSequence(DbConnection connection, string runId) =>
        Scalar<long>(connection, "SELECT COALESCE(MAX(seq), 0) FROM metrics WHERE run_id = @run", ("@run", runId));

    private DbConnection Open() => _database.Open();

    private List<Run> Query(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var runs = new List<Run>();
        // Read to the end before the next command: a PostgreSQL connection runs one command at a time.
        using (var command = Command(connection, sql, parameters))
        using (var reader = command.ExecuteReader())
            while (reader.Read()) runs.Add(Read(reader));
        foreach (var run in runs.Where(r => r.Status == RunStatus.Queued).ToList())
        {
            int position = (int)Scalar<long>(connection, "SELECT COUNT(*) FROM runs WHERE status = 'Queued' AND queue_order <= @order", ("@order", run.QueueOrder));
            runs[runs.IndexOf(run)] = run with { QueuePosition = position };
        }
        for (int i = 0; i < runs.Count; i++)
            runs[i] = runs[i] with { LastSequence = LastSequence(connection, runs[i].Id) };
        return runs;
    }

    private static Run Read(DbDataReader r) => new()
    {
        Id = r.GetString(r.GetOrdinal("id")),
        Name = r.GetString(r.GetOrdinal("name")),
        Status = Enum.Parse<RunStatus>(r.GetString(r.GetOrdinal("status"))),
        Tags = JsonSerializer.Deserialize(r.GetString(r.GetOrdinal("tags")), Json.TypeInfo<string[]>()) ?? [],
        Notes = r.GetString(r.GetOrdinal("notes")),
        Config = JsonSerializer.Deserialize(r.GetString(r.GetOrdinal("config")), Json.TypeInfo<TrainingConfig>())!,
        CreatedAt = ParseTime(r, "created_at")!.Value,
        StartedAt = ParseTime(r, "started_at"),
        FinishedAt = ParseTime(r, "finished_at"),
        FailureReason = r.IsDBNull(r.GetOrdinal("failure_reason")) ? null : r.GetString(r.GetOrdinal("failure_reason")),
        EpochsCompleted = Convert.ToInt32(r.GetValue(r.GetOrdinal("epochs_completed"))),
        LastLoss = NullableDouble(r, r.GetOrdinal("last_loss")),
        BestKnnTop1 = NullableDouble(r, r.GetOrdinal("best_knn")),
        LinearTop1 = NullableDouble(r, r.GetOrdinal("linear_top1")),
        ImagesPerSecond = NullableDouble(r, r.GetOrdinal("images_per_second")),
        EtaSeconds = NullableDouble(r, r.GetOrdinal("eta_seconds")),
        HasCheckpoint = Convert.ToInt64(r.GetValue(r.GetOrdinal("has_checkpoint"))) != 0,
        ResumeRequested = Convert.ToInt64(r.GetValue(r.GetOrdinal("resume_requested"))) != 0,
        QueueOrder = r.GetInt64(r.GetOrdinal("queue_order")),
        HistoryRevision = r.GetInt64(r.GetOrdinal("history_revision")),
        Runtime = r.IsDBNull(r.GetOrdinal("runtime")) ? null : JsonSerializer.Deserialize(r.GetString(r.GetOrdinal("runtime")), Json.TypeInfo<RunRuntime>()),
        Warnings = r.IsDBNull(r.GetOrdinal("warnings")) ? [] : JsonSerializer.Deserialize(r.GetString(r.GetOrdinal("warnings")), Json.TypeInfo<IReadOnlyList<RunWarning>>()) ?? [],
        SweepId = r.IsDBNull(r.GetOrdinal("sweep_id")) ? null : r.GetString(r.GetOrdinal("sweep_id")),
        ForkedFrom = r.IsDBNull(r.GetOrdinal("forked_from")) ? null : r.GetString(r.GetOrdinal("forked_from")),
        ForkedAtEpoch = r.IsDBNull(r.GetOrdinal("forked_at_epoch")) ? null : Convert.ToInt32(r.GetValue(r.GetOrdinal("forked_at_epoch"))),
        Worker = r.IsDBNull(r.GetOrdinal("lease_owner")) ? null : r.GetString(r.GetOrdinal("lease_owner")),
    };

    /// <summary>
    /// Claims the oldest queued run that <paramref name="canRun"/> accepts for <paramref name="worker"/>, with a lease
    /// until <paramref name="leaseUntil"/>: a conditional update (status still queued) that only one worker can win,
    /// whichever process it is in.
    /// </summary>
    public Run? Claim(string worker, Func<TrainingConfig, bool> canRun, DateTimeOffset now, DateTimeOffset leaseUntil)
    {
        lock (_writeLock)
        {
            using var connection = Open();
            // Only the id and settings of the queue's head: reading whole runs (queue positions, sequences) costs a query each.
            var candidates = new List<string>();
            using (var command = Command(connection, "SELECT id, config FROM runs WHERE status = 'Queued' ORDER BY queue_order LIMIT 64", []))
            using (var reader = command.ExecuteReader())
                while (reader.Read())
                    if (canRun(JsonSerializer.Deserialize(reader.GetString(1), Json.TypeInfo<TrainingConfig>())!)) candidates.Add(reader.GetString(0));
            foreach (var id in candidates)
            {
                int won = Execute(connection, """
                    UPDATE runs SET status = 'Running', started_at = COALESCE(started_at, @now), failure_reason = NULL,
                        lease_owner = @worker, lease_expires = @until, cancel_requested = 0
                    WHERE id = @id AND status = 'Queued'
                    """, ("@id", id), ("@now", Format(now)), ("@worker", worker), ("@until", Format(leaseUntil.ToUniversalTime())));
                if (won == 1) return Query(connection, "SELECT * FROM runs WHERE id = @id", ("@id", id)).First();
            }
            return null;
        }
    }

    /// <summary>
    /// Extends <paramref name="worker"/>'s lease on a run it trains. False when the lease is gone (it expired and the run
    /// was interrupted, or the run was deleted): the worker must stop training it. <paramref name="cancel"/>: a user asked
    /// (through any trainer) to cancel the run.
    /// </summary>
    public bool RenewLease(string runId, string worker, DateTimeOffset until, out bool cancel)
    {
        using var connection = Open();
        cancel = false;
        int renewed = Execute(connection, "UPDATE runs SET lease_expires = @until WHERE id = @id AND lease_owner = @worker AND status = 'Running'",
            ("@id", runId), ("@worker", worker), ("@until", Format(until.ToUniversalTime())));
        if (renewed == 0) return false;
        cancel = Scalar<long>(connection, "SELECT cancel_requested FROM runs WHERE id = @id", ("@id", runId)) != 0;
        return true;
    }

    /// <summary>Asks the worker training <paramref name="runId"/> (in whichever process) to cancel it; false when it is not running.</summary>
    public bool RequestCancel(string runId)
    {
        using var connection = Open();
        return Execute(connection, "UPDATE runs SET cancel_requested = 1 WHERE id = @id AND status = 'Running'", ("@id", runId)) == 1;
    }

    /// <summary>Marks running runs whose worker's lease ran out (the worker died or hangs) as interrupted; returns them.</summary>
    public IReadOnlyList<Run> InterruptExpiredLeases(DateTimeOffset now, string reason)
    {
        lock (_writeLock)
        {
            using var connection = Open();
            var at = Format(now.ToUniversalTime());
            var interrupted = new List<Run>();
            foreach (var run in Query(connection, "SELECT * FROM runs WHERE status = 'Running' AND lease_expires IS NOT NULL AND lease_expires < @now", ("@now", at)))
            {
                // Still expired when changed: a worker that renewed meanwhile keeps its run.
                int changed = Execute(connection, """
                    UPDATE runs SET status = 'Interrupted', failure_reason = @reason, eta_seconds = NULL
                    WHERE id = @id AND status = 'Running' AND lease_expires < @now
                    """, ("@id", run.Id), ("@reason", reason), ("@now", at));
                if (changed == 1) interrupted.Add(Query(connection, "SELECT * FROM runs WHERE id = @id", ("@id", run.Id)).First());
            }
            return interrupted;
        }
    }

    /// <summary>
    /// Copies <paramref name="sourceId"/>'s current history up to a checkpoint at (<paramref name="epoch"/>, <paramref name="globalStep"/>)
    /// to <paramref name="targetId"/>, numbered from 1: a fork's curves start with what led to its checkpoint.
    /// </summary>
    public void CopyMetricsUpTo(string sourceId, string targetId, int epoch, long globalStep)
    {
        lock (_writeLock)
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            Execute(connection, """
                INSERT INTO metrics (run_id, seq, kind, epoch, step, global_step, loss, lr, images_per_second, evaluation, top1, duration_s, time, signal_values)
                SELECT @target, ROW_NUMBER() OVER (ORDER BY seq), kind, epoch, step, global_step, loss, lr, images_per_second, evaluation, top1, duration_s, time, signal_values
                FROM metrics WHERE run_id = @source AND superseded = 0 AND (
                    (kind IN ('step', 'health') AND global_step <= @step) OR (kind IN ('epoch', 'embedding') AND epoch < @epoch)
                    OR (kind = 'evaluation' AND evaluation = 'knn' AND epoch < @epoch))
                """, ("@target", targetId), ("@source", sourceId), ("@epoch", epoch), ("@step", globalStep));
            Execute(connection, """
                UPDATE runs SET best_knn = (SELECT MAX(top1) FROM metrics WHERE run_id = @target AND kind = 'evaluation' AND evaluation = 'knn'),
                    last_loss = (SELECT loss FROM metrics WHERE run_id = @target AND kind = 'step' ORDER BY seq DESC LIMIT 1), epochs_completed = @epoch
                WHERE id = @target
                """, ("@target", targetId), ("@epoch", epoch));
            transaction.Commit();
        }
    }

    public void InsertSweep(Sweep sweep)
    {
        lock (_writeLock)
        {
            using var connection = Open();
            Execute(connection, "INSERT INTO sweeps (id, name, kind, axes, created_at) VALUES (@id, @name, @kind, @axes, @created)",
                ("@id", sweep.Id), ("@name", sweep.Name), ("@kind", sweep.Kind), ("@axes", JsonSerializer.Serialize(sweep.Axes, Json.TypeInfo<IReadOnlyList<SweepAxis>>())),
                ("@created", Format(sweep.CreatedAt)));
        }
    }

    /// <summary>Sweeps, newest first, each with the ids of its runs that still exist.</summary>
    public IReadOnlyList<Sweep> ListSweeps(string? id = null)
    {
        using var connection = Open();
        var runs = new Dictionary<string, List<string>>();
        using (var command = Command(connection, "SELECT id, sweep_id FROM runs WHERE sweep_id IS NOT NULL ORDER BY queue_order", []))
        using (var reader = command.ExecuteReader())
            while (reader.Read()) (runs.TryGetValue(reader.GetString(1), out var list) ? list : runs[reader.GetString(1)] = []).Add(reader.GetString(0));
        var sweeps = new List<Sweep>();
        using (var command = id is null
            ? Command(connection, "SELECT id, name, kind, axes, created_at FROM sweeps ORDER BY created_at DESC", [])
            : Command(connection, "SELECT id, name, kind, axes, created_at FROM sweeps WHERE id = @id", [("@id", id)]))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                sweeps.Add(new Sweep(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    JsonSerializer.Deserialize(reader.GetString(3), Json.TypeInfo<IReadOnlyList<SweepAxis>>()) ?? [],
                    DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture), runs.TryGetValue(reader.GetString(0), out var ids) ? ids : []));
        return sweeps;
    }

    private static double? NullableDouble(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetDouble(ordinal);

    private static DateTimeOffset? ParseTime(DbDataReader r, string column)
    {
        int ordinal = r.GetOrdinal(column);
        return r.IsDBNull(ordinal) ? null : DateTimeOffset.Parse(r.GetString(ordinal), CultureInfo.InvariantCulture);
    }

    private static string? Format(DateTimeOffset? time) => time?.ToString("O", CultureInfo.InvariantCulture);

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) AddParameter(command, name, value);
        return command;
    }

    private static DbParameter AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static int Execute(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static T Scalar<T>(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }
}
