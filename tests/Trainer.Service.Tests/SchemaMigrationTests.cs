using System.Data.Common;
using AspireSimClr.Trainer.Runs;
using AspireSimClr.Trainer.Runs.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>
/// Databases written by the trainer before the numbered migrations (commit 6143a0e; Fixtures/make-fixtures.sh made them
/// with that build: a completed run, a seed sweep's two, a cancelled one, one killed while running and one queued)
/// are upgraded in place on both engines, lose nothing, and then behave as new ones.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SchemaMigrationTests(PostgresServer postgres) : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "simclr-migrate-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ADatabaseWrittenBeforeTheMigrationsIsUpgradedInPlace(string engine)
    {
        var (database, raw) = await OldDatabase(engine);
        var before = RawRuns(raw);
        Assert.Equal(6, before.Count);
        Assert.All(before.Values, r => Assert.EndsWith("+00:00", r.CreatedAt));   // round-trip text with an offset, as written then

        var store = new RunStore(database);

        Assert.Equal(Enumerable.Range(1, RunSchema.Current), RunSchema.Applied(database));
        var runs = store.Runs.List();
        Assert.Equal(before.Keys.Order(), runs.Select(r => r.Id).Order());
        foreach (var run in runs)
        {
            var old = before[run.Id];
            Assert.Equal((old.Status, old.QueueOrder), (run.Status.ToString(), run.QueueOrder));
            Assert.Equal(DateTimeOffset.Parse(old.CreatedAt), run.CreatedAt);
        }
        Assert.All(RawRuns(raw).Values, r => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", r.CreatedAt));
        var completed = runs.Single(r => r.Name == "completed run");
        Assert.Equal(RunStatus.Completed, completed.Status);
        Assert.True(store.History.Read(completed.Id).Points.Count > 0);
        var sweep = Assert.Single(store.Sweeps.List());
        Assert.Equal(2, sweep.RunIds.Count);

        // Upgraded, it works as a new one: positions continue after those taken, and lease times compare as times.
        long last = runs.Max(r => r.QueueOrder);
        var added = store.Runs.Insert(new Run { Id = "after-upgrade", Name = "new", Config = new TrainingConfig(), CreatedAt = DateTimeOffset.UtcNow });
        Assert.True(added.QueueOrder > last, $"queue order {added.QueueOrder} after {last}");
        var killed = runs.Single(r => r.Status == RunStatus.Running);
        var leaseEnd = DateTimeOffset.Parse(before[killed.Id].LeaseExpires!);
        Assert.Empty(store.Queue.InterruptExpiredLeases(leaseEnd.AddSeconds(-1), "not yet"));
        Assert.Equal([killed.Id], store.Queue.InterruptExpiredLeases(leaseEnd.AddSeconds(1), "its trainer is gone").Select(r => r.Id));

        // Opening it again applies nothing.
        Assert.Empty(RunSchema.Migrate(database));
    }

    private sealed record RawRun(string Status, long QueueOrder, string CreatedAt, string? LeaseExpires);

    private static Dictionary<string, RawRun> RawRuns(Func<DbConnection> open)
    {
        using var connection = open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, status, queue_order, created_at, lease_expires FROM runs";
        using var reader = command.ExecuteReader();
        var runs = new Dictionary<string, RawRun>();
        while (reader.Read())
            runs[reader.GetString(0)] = new RawRun(reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4));
        return runs;
    }

    private async Task<(RunDatabase Database, Func<DbConnection> Raw)> OldDatabase(string engine)
    {
        if (engine == "sqlite")
        {
            Directory.CreateDirectory(_folder);
            var path = Path.Combine(_folder, "trainer.db");
            File.Copy(Path.Combine(Fixtures, "trainer-6143a0e.db"), path);
            return (new SqliteRunDatabase(path), () =>
            {
                var connection = new SqliteConnection($"Data Source={path};Pooling=false");
                connection.Open();
                return connection;
            });
        }
        var connectionString = postgres.NewDatabase();
        await postgres.RestoreAsync(connectionString, Path.Combine(Fixtures, "runs-6143a0e.sql"));
        return (new PostgresRunDatabase(connectionString), () =>
        {
            var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            return connection;
        });
    }
}
