using System.Text.Json;
using AspireSimClr.Trainer.Runs.Storage;

namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// The sweeps table: a sweep's name, kind, axes, early stopping and (model-based sweeps) search, base settings and how many runs it
/// has proposed; its runs are the runs that carry its id.
/// </summary>
public sealed class SweepTable(RunDatabase database)
{
    /// <param name="baseSettings">A model-based sweep's base settings (a new run's body), from which it makes each next run.</param>
    public void Insert(Sweep sweep, string? baseSettings = null) => database.Transaction(t =>
        Sql.Execute(t, """
            INSERT INTO sweeps (id, name, kind, axes, created_at, early_stopping, search, base_settings, proposed)
            VALUES (@id, @name, @kind, @axes, @created, @early, @search, @base, @proposed)
            """,
            ("@id", sweep.Id), ("@name", sweep.Name), ("@kind", sweep.Kind),
            ("@axes", JsonSerializer.Serialize(sweep.Axes, RunRows.Json.TypeInfo<IReadOnlyList<SweepAxis>>())), ("@created", Sql.Time(sweep.CreatedAt)),
            ("@early", sweep.EarlyStopping is null ? null : JsonSerializer.Serialize(sweep.EarlyStopping, RunRows.Json.TypeInfo<EarlyStopping>())),
            ("@search", sweep.Search is null ? null : JsonSerializer.Serialize(sweep.Search, RunRows.Json.TypeInfo<SweepSearch>())),
            ("@base", baseSettings), ("@proposed", (long)(sweep.Search?.Startup ?? 0))));

    /// <summary>
    /// Takes the next run of a model-based sweep: its 0-based index, or null when its budget is spent. One conditional statement,
    /// so trainers whose runs end together never take the same index or go over the budget.
    /// </summary>
    public int? TakeNext(string id, int budget) => database.Transaction(t =>
    {
        var taken = Sql.Strings(t, "UPDATE sweeps SET proposed = proposed + 1 WHERE id = @id AND proposed < @budget RETURNING CAST(proposed AS TEXT)",
            ("@id", id), ("@budget", (long)budget));
        return taken.Count == 0 ? (int?)null : int.Parse(taken[0], System.Globalization.CultureInfo.InvariantCulture) - 1;
    });

    /// <summary>
    /// Marks the sweep finished if every run it will have has ended: none queued or running, and a model-based sweep's
    /// <paramref name="budget"/> all proposed. True only for the call that marked it (one conditional statement), so a finished
    /// sweep is announced once whichever trainer ends its last run.
    /// </summary>
    public bool MarkFinished(string id, int budget, DateTimeOffset now) => database.Transaction(t => Sql.Strings(t, """
        UPDATE sweeps SET finished_at = @now
        WHERE id = @id AND finished_at IS NULL AND proposed >= @budget
          AND NOT EXISTS (SELECT 1 FROM runs WHERE sweep_id = @id AND status IN ('Queued', 'Running'))
        RETURNING id
        """, ("@id", id), ("@budget", (long)budget), ("@now", Sql.Time(now))).Count == 1);

    /// <summary>The base settings a model-based sweep makes its runs from (null for other sweeps).</summary>
    public string? BaseSettings(string id) => database.Transaction(t =>
    {
        var found = Sql.Strings(t, "SELECT COALESCE(base_settings, '') FROM sweeps WHERE id = @id", ("@id", id));
        return found.Count == 0 || found[0].Length == 0 ? null : found[0];
    });

    /// <summary>Sweeps, newest first (or the one with <paramref name="id"/>), each with the ids of its runs that still exist.</summary>
    public IReadOnlyList<Sweep> List(string? id = null) => database.Transaction(t =>
    {
        var runs = new Dictionary<string, List<string>>();
        using (var command = Sql.Command(t, "SELECT id, sweep_id FROM runs WHERE sweep_id IS NOT NULL ORDER BY queue_order"))
        using (var reader = command.ExecuteReader())
            while (reader.Read()) (runs.TryGetValue(reader.GetString(1), out var list) ? list : runs[reader.GetString(1)] = []).Add(reader.GetString(0));
        var sweeps = new List<Sweep>();
        using (var command = id is null
            ? Sql.Command(t, "SELECT id, name, kind, axes, created_at, early_stopping, search FROM sweeps ORDER BY created_at DESC")
            : Sql.Command(t, "SELECT id, name, kind, axes, created_at, early_stopping, search FROM sweeps WHERE id = @id", ("@id", id)))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                sweeps.Add(new Sweep(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    JsonSerializer.Deserialize(reader.GetString(3), RunRows.Json.TypeInfo<IReadOnlyList<SweepAxis>>()) ?? [],
                    Sql.ReadTime(reader, 4)!.Value, runs.TryGetValue(reader.GetString(0), out var ids) ? ids : [],
                    reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), RunRows.Json.TypeInfo<EarlyStopping>()),
                    reader.IsDBNull(6) ? null : JsonSerializer.Deserialize(reader.GetString(6), RunRows.Json.TypeInfo<SweepSearch>())));
        return (IReadOnlyList<Sweep>)sweeps;
    });
}
