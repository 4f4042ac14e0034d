using AspireSimClr.Trainer.Runs.Storage;
using AspireSimClr.Trainer.Sweeps;

namespace AspireSimClr.Trainer.Runs;

/// <summary>
/// The sweep_rungs table: each early-stopping decision of a sweep, taken once per rung and run, in the database. Deciders of
/// one sweep take turns (the sweep's row is locked on PostgreSQL; an SQLite file has one writer), so each decision ranks the run
/// against every value stored before it, whichever trainer stored them.
/// </summary>
public sealed class SweepRungTable(RunDatabase database)
{
    private const string Columns = "run_id, rung, value, rank, competitors, kept, continues, overridden, decided_at";

    /// <summary>
    /// The decision for <paramref name="runId"/> at <paramref name="rung"/>: the one stored if it was taken before (a run resumed
    /// after a crash meets its rung again), else a new one ranked by <see cref="SuccessiveHalving"/> against the values stored.
    /// </summary>
    public RungDecision Decide(string sweepId, string runId, int rung, double? value, bool higherIsBetter, int reductionFactor, DateTimeOffset now) =>
        database.Transaction(t =>
        {
            if (Sql.Strings(t, "SELECT id FROM sweeps s WHERE s.id = @id" + database.LockRows("s"), ("@id", sweepId)).Count == 0)
                throw new InvalidOperationException($"There is no sweep {sweepId}.");
            var stored = Read(t, "WHERE sweep_id = @sweep AND rung = @rung", ("@sweep", sweepId), ("@rung", (long)rung));
            if (stored.FirstOrDefault(d => d.RunId == runId) is { } taken) return taken;

            var finite = value is { } v && double.IsFinite(v) ? value : null;
            var standing = SuccessiveHalving.Rank(stored.Select(d => d.Value).ToList(), finite, higherIsBetter, reductionFactor);
            var decision = new RungDecision(runId, rung, finite, standing.Rank, standing.Competitors, standing.Kept, standing.Continues, false, now);
            Sql.Execute(t, $"INSERT INTO sweep_rungs (sweep_id, {Columns}) VALUES (@sweep, @run, @rung, @value, @rank, @competitors, @kept, @continues, 0, @at)",
                ("@sweep", sweepId), ("@run", runId), ("@rung", (long)rung), ("@value", finite), ("@rank", (long)standing.Rank),
                ("@competitors", (long)standing.Competitors), ("@kept", (long)standing.Kept), ("@continues", standing.Continues ? 1L : 0L), ("@at", Sql.Time(now)));
            return decision;
        });

    /// <summary>A sweep's decisions, in the order they were taken.</summary>
    public IReadOnlyList<RungDecision> List(string sweepId) =>
        database.Transaction(t => Read(t, "WHERE sweep_id = @sweep", ("@sweep", sweepId)));

    /// <summary>A user resumed a run that was stopped early: its stops no longer stand (its values still count for the others).</summary>
    public int Override(string runId) => database.Transaction(t =>
        Sql.Execute(t, "UPDATE sweep_rungs SET overridden = 1 WHERE run_id = @run AND continues = 0 AND overridden = 0", ("@run", runId)));

    private static List<RungDecision> Read(System.Data.Common.DbTransaction t, string where, params (string, object?)[] parameters)
    {
        using var command = Sql.Command(t, $"SELECT {Columns} FROM sweep_rungs {where} ORDER BY decided_at, rung, run_id", parameters);
        using var reader = command.ExecuteReader();
        var decisions = new List<RungDecision>();
        while (reader.Read())
            decisions.Add(new RungDecision(reader.GetString(0), Convert.ToInt32(reader.GetValue(1)), Sql.NullableDouble(reader, 2),
                Convert.ToInt32(reader.GetValue(3)), Convert.ToInt32(reader.GetValue(4)), Convert.ToInt32(reader.GetValue(5)),
                Convert.ToInt64(reader.GetValue(6)) != 0, Convert.ToInt64(reader.GetValue(7)) != 0, Sql.ReadTime(reader, 8)!.Value));
        return decisions;
    }
}
