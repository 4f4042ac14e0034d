using System.Text.Json;
using AspireSimClr.Trainer.Runs.Storage;

namespace AspireSimClr.Trainer.Runs;

/// <summary>The sweeps table: a sweep's name, kind, axes and early stopping; its runs are the runs that carry its id.</summary>
public sealed class SweepTable(RunDatabase database)
{
    public void Insert(Sweep sweep) => database.Transaction(t =>
        Sql.Execute(t, "INSERT INTO sweeps (id, name, kind, axes, created_at, early_stopping) VALUES (@id, @name, @kind, @axes, @created, @early)",
            ("@id", sweep.Id), ("@name", sweep.Name), ("@kind", sweep.Kind),
            ("@axes", JsonSerializer.Serialize(sweep.Axes, RunRows.Json.TypeInfo<IReadOnlyList<SweepAxis>>())), ("@created", Sql.Time(sweep.CreatedAt)),
            ("@early", sweep.EarlyStopping is null ? null : JsonSerializer.Serialize(sweep.EarlyStopping, RunRows.Json.TypeInfo<EarlyStopping>()))));

    /// <summary>Sweeps, newest first (or the one with <paramref name="id"/>), each with the ids of its runs that still exist.</summary>
    public IReadOnlyList<Sweep> List(string? id = null) => database.Transaction(t =>
    {
        var runs = new Dictionary<string, List<string>>();
        using (var command = Sql.Command(t, "SELECT id, sweep_id FROM runs WHERE sweep_id IS NOT NULL ORDER BY queue_order"))
        using (var reader = command.ExecuteReader())
            while (reader.Read()) (runs.TryGetValue(reader.GetString(1), out var list) ? list : runs[reader.GetString(1)] = []).Add(reader.GetString(0));
        var sweeps = new List<Sweep>();
        using (var command = id is null
            ? Sql.Command(t, "SELECT id, name, kind, axes, created_at, early_stopping FROM sweeps ORDER BY created_at DESC")
            : Sql.Command(t, "SELECT id, name, kind, axes, created_at, early_stopping FROM sweeps WHERE id = @id", ("@id", id)))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                sweeps.Add(new Sweep(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    JsonSerializer.Deserialize(reader.GetString(3), RunRows.Json.TypeInfo<IReadOnlyList<SweepAxis>>()) ?? [],
                    Sql.ReadTime(reader, 4)!.Value, runs.TryGetValue(reader.GetString(0), out var ids) ? ids : [],
                    reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), RunRows.Json.TypeInfo<EarlyStopping>())));
        return (IReadOnlyList<Sweep>)sweeps;
    });
}
