using System.Data.Common;
using System.Text.Json;
using AspireSimClr.Trainer.Runs.Storage;

namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// The metrics table: each run's numbered points (steps, epochs, evaluations, health, embedding maps), appended in
/// batches, read after a sequence number, superseded when a resume trains a stretch again, copied to a fork.
/// </summary>
public sealed class RunHistory(RunDatabase database)
{
    private const string Columns = "run_id, seq, kind, epoch, step, global_step, loss, lr, images_per_second, evaluation, top1, duration_s, time, signal_values";

    public void Append(string runId, IReadOnlyList<MetricPoint> points)
    {
        if (points.Count == 0) return;
        database.Transaction(t =>
        {
            if (database.BatchesRows) AppendInBatches(t, runId, points);
            else AppendOneByOne(t, runId, points);
        });
    }

    /// <summary>
    /// The run's current points after sequence number <paramref name="since"/>, and the highest sequence
    /// number read (superseded points included), which is where the next read continues.
    /// </summary>
    public MetricsResponse Read(string runId, long since = 0) => database.Transaction(t =>
    {
        using var command = Sql.Command(t, "SELECT seq, kind, epoch, step, global_step, loss, lr, images_per_second, evaluation, top1, duration_s, time, superseded, signal_values " +
            "FROM metrics WHERE run_id = @run AND seq > @since ORDER BY seq", ("@run", runId), ("@since", since));
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
                Loss = Sql.NullableDouble(reader, 5), LearningRate = Sql.NullableDouble(reader, 6), ImagesPerSecond = Sql.NullableDouble(reader, 7),
                Evaluation = reader.IsDBNull(8) ? null : reader.GetString(8), Top1 = Sql.NullableDouble(reader, 9), DurationSeconds = Sql.NullableDouble(reader, 10),
                Time = Sql.ReadTime(reader, 11)!.Value,
                Health = reader.IsDBNull(13) ? null : JsonSerializer.Deserialize(reader.GetString(13), RunRows.Json.TypeInfo<HealthValues>()),
            });
        }
        return new MetricsResponse(runId, through, points);
    });

    public long LastSequence(string runId) => database.Transaction(t =>
        Sql.Scalar<long>(t, "SELECT COALESCE(MAX(seq), 0) FROM metrics WHERE run_id = @run", ("@run", runId)));

    /// <summary>
    /// A run resumed from a checkpoint at (<paramref name="epoch"/>, <paramref name="globalStep"/>) trains
    /// again what followed it: the points recorded after that position (steps after the global step,
    /// epochs and kNN evaluations from the epoch on, and any linear probe, which always follows the last
    /// checkpoint) are marked superseded, so reads return one point per step. Their sequence numbers stay
    /// taken, so clients' cursors keep moving forward. The run's summary is recomputed from what remains
    /// and its history revision goes up when anything was superseded. Returns how many points were.
    /// </summary>
    public int SupersedeAfter(string runId, int epoch, long globalStep) => database.Transaction(t =>
    {
        int superseded = Sql.Execute(t, """
            UPDATE metrics SET superseded = 1
            WHERE run_id = @run AND superseded = 0 AND (
                (kind IN ('step', 'health') AND global_step > @step) OR (kind = 'epoch' AND epoch >= @epoch)
                OR (kind = 'evaluation' AND (evaluation <> 'knn' OR epoch >= @epoch)) OR (kind = 'embedding' AND epoch >= @epoch))
            """, ("@run", runId), ("@step", globalStep), ("@epoch", epoch));
        if (superseded > 0)
        {
            Sql.Execute(t, """
                UPDATE runs SET history_revision = history_revision + 1, epochs_completed = @epoch, linear_top1 = NULL,
                    best_knn = (SELECT MAX(top1) FROM metrics WHERE run_id = @run AND superseded = 0 AND kind = 'evaluation' AND evaluation = 'knn'),
                    last_loss = (SELECT loss FROM metrics WHERE run_id = @run AND superseded = 0 AND kind = 'step' ORDER BY seq DESC LIMIT 1)
                WHERE id = @run
                """, ("@run", runId), ("@epoch", epoch));
        }
        return superseded;
    });

    /// <summary>
    /// Copies <paramref name="sourceId"/>'s current history up to a checkpoint at (<paramref name="epoch"/>, <paramref name="globalStep"/>)
    /// to <paramref name="targetId"/>, numbered from 1: a fork's curves start with what led to its checkpoint.
    /// </summary>
    public void CopyUpTo(string sourceId, string targetId, int epoch, long globalStep) => database.Transaction(t =>
    {
        Sql.Execute(t, $"""
            INSERT INTO metrics ({Columns})
            SELECT @target, ROW_NUMBER() OVER (ORDER BY seq), kind, epoch, step, global_step, loss, lr, images_per_second, evaluation, top1, duration_s, time, signal_values
            FROM metrics WHERE run_id = @source AND superseded = 0 AND (
                (kind IN ('step', 'health') AND global_step <= @step) OR (kind IN ('epoch', 'embedding') AND epoch < @epoch)
                OR (kind = 'evaluation' AND evaluation = 'knn' AND epoch < @epoch))
            """, ("@target", targetId), ("@source", sourceId), ("@epoch", epoch), ("@step", globalStep));
        Sql.Execute(t, """
            UPDATE runs SET best_knn = (SELECT MAX(top1) FROM metrics WHERE run_id = @target AND kind = 'evaluation' AND evaluation = 'knn'),
                last_loss = (SELECT loss FROM metrics WHERE run_id = @target AND kind = 'step' ORDER BY seq DESC LIMIT 1), epochs_completed = @epoch
            WHERE id = @target
            """, ("@target", targetId), ("@epoch", epoch));
    });

    /// <summary>Many rows per INSERT: one round trip to a server for up to 200 points.</summary>
    private static void AppendInBatches(DbTransaction transaction, string runId, IReadOnlyList<MetricPoint> points)
    {
        const int RowsPerStatement = 200;   // 14 parameters a row: well under the engines' limits
        foreach (var chunk in points.Chunk(RowsPerStatement))
        {
            using var command = Sql.Command(transaction, "");
            var rows = new List<string>(chunk.Length);
            for (int i = 0; i < chunk.Length; i++)
            {
                rows.Add($"(@run, @seq{i}, @kind{i}, @epoch{i}, @step{i}, @global{i}, @loss{i}, @lr{i}, @ips{i}, @evaluation{i}, @top1{i}, @duration{i}, @time{i}, @values{i})");
                foreach (var (name, value) in Values(chunk[i])) Sql.Parameter(command, name + i, value);
            }
            Sql.Parameter(command, "@run", runId);
            command.CommandText = $"INSERT INTO metrics ({Columns}) VALUES " + string.Join(", ", rows);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>One prepared single-row insert, run for each point: the fastest way into SQLite, which has no round trips to save.</summary>
    private static void AppendOneByOne(DbTransaction transaction, string runId, IReadOnlyList<MetricPoint> points)
    {
        using var command = Sql.Command(transaction, $"""
            INSERT INTO metrics ({Columns})
            VALUES (@run, @seq, @kind, @epoch, @step, @global, @loss, @lr, @ips, @evaluation, @top1, @duration, @time, @values)
            """);
        Sql.Parameter(command, "@run", runId);
        var parameters = Values(points[0]).ToDictionary(v => v.Name, v => Sql.Parameter(command, v.Name, null));
        foreach (var point in points)
        {
            foreach (var (name, value) in Values(point)) parameters[name].Value = value ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    private static IEnumerable<(string Name, object? Value)> Values(MetricPoint p) =>
    [
        ("@seq", p.Sequence), ("@kind", p.Kind), ("@epoch", (long)p.Epoch), ("@step", p.Step is { } step ? (long)step : null), ("@global", p.GlobalStep),
        ("@loss", p.Loss), ("@lr", p.LearningRate), ("@ips", p.ImagesPerSecond), ("@evaluation", p.Evaluation), ("@top1", p.Top1),
        ("@duration", p.DurationSeconds), ("@time", Sql.Time(p.Time)),
        ("@values", p.Health is { } health ? JsonSerializer.Serialize(health, RunRows.Json.TypeInfo<HealthValues>()) : null),
    ];
}
