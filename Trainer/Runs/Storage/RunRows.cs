using System.Data.Common;
using System.Text.Json;
using AspireSimClr.Engine;

namespace AspireSimClr.Trainer.Runs.Storage;

/// <summary>A run as a row of the runs table: the columns read back into <see cref="Run"/>, and the JSON-valued columns.</summary>
internal static class RunRows
{
    public static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithTrainerTypes();

    /// <summary>Every column, with the run's place in the queue (among queued runs) and its last metric sequence number.</summary>
    public const string Select = """
        SELECT r.*, (SELECT COUNT(*) FROM runs q WHERE q.status = 'Queued' AND q.queue_order <= r.queue_order) AS queue_position,
            (SELECT COALESCE(MAX(m.seq), 0) FROM metrics m WHERE m.run_id = r.id) AS last_sequence
        FROM runs r
        """;

    public static List<Run> Query(DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var runs = new List<Run>();
        using var command = Sql.Command(transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read()) runs.Add(Read(reader));
        return runs;
    }

    public static string Tags(IReadOnlyList<string> tags) => JsonSerializer.Serialize(tags, Json.TypeInfo<IReadOnlyList<string>>());
    public static string Config(TrainingConfig config) => JsonSerializer.Serialize(config, Json.TypeInfo<TrainingConfig>());
    public static string? Runtime(RunRuntime? runtime) => runtime is null ? null : JsonSerializer.Serialize(runtime, Json.TypeInfo<RunRuntime>());
    public static string? Warnings(IReadOnlyList<RunWarning> warnings) => warnings.Count > 0 ? JsonSerializer.Serialize(warnings, Json.TypeInfo<IReadOnlyList<RunWarning>>()) : null;
    public static TrainingConfig ReadConfig(string json) => JsonSerializer.Deserialize(json, Json.TypeInfo<TrainingConfig>())!;

    private static Run Read(DbDataReader r)
    {
        int Column(string name) => r.GetOrdinal(name);
        string? Text(string name) => r.IsDBNull(Column(name)) ? null : r.GetString(Column(name));
        var status = Enum.Parse<RunStatus>(r.GetString(Column("status")));
        return new Run
        {
            Id = r.GetString(Column("id")),
            Name = r.GetString(Column("name")),
            Status = status,
            Tags = JsonSerializer.Deserialize(r.GetString(Column("tags")), Json.TypeInfo<string[]>()) ?? [],
            Notes = r.GetString(Column("notes")),
            Config = ReadConfig(r.GetString(Column("config"))),
            CreatedAt = Sql.ReadTime(r, Column("created_at"))!.Value,
            StartedAt = Sql.ReadTime(r, Column("started_at")),
            FinishedAt = Sql.ReadTime(r, Column("finished_at")),
            FailureReason = Text("failure_reason"),
            EpochsCompleted = Convert.ToInt32(r.GetValue(Column("epochs_completed"))),
            LastLoss = Sql.NullableDouble(r, Column("last_loss")),
            BestKnnTop1 = Sql.NullableDouble(r, Column("best_knn")),
            LinearTop1 = Sql.NullableDouble(r, Column("linear_top1")),
            ImagesPerSecond = Sql.NullableDouble(r, Column("images_per_second")),
            EtaSeconds = Sql.NullableDouble(r, Column("eta_seconds")),
            HasCheckpoint = Convert.ToInt64(r.GetValue(Column("has_checkpoint"))) != 0,
            ResumeRequested = Convert.ToInt64(r.GetValue(Column("resume_requested"))) != 0,
            QueueOrder = r.GetInt64(Column("queue_order")),
            QueuePosition = status == RunStatus.Queued ? Convert.ToInt32(r.GetValue(Column("queue_position"))) : null,
            LastSequence = Convert.ToInt64(r.GetValue(Column("last_sequence"))),
            HistoryRevision = r.GetInt64(Column("history_revision")),
            Runtime = Text("runtime") is { } runtime ? JsonSerializer.Deserialize(runtime, Json.TypeInfo<RunRuntime>()) : null,
            Warnings = Text("warnings") is { } warnings ? JsonSerializer.Deserialize(warnings, Json.TypeInfo<IReadOnlyList<RunWarning>>()) ?? [] : [],
            SweepId = Text("sweep_id"),
            ForkedFrom = Text("forked_from"),
            ForkedAtEpoch = r.IsDBNull(Column("forked_at_epoch")) ? null : Convert.ToInt32(r.GetValue(Column("forked_at_epoch"))),
            Worker = Text("lease_owner"),
        };
    }
}
