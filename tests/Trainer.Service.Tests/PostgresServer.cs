using System.Diagnostics;
using Npgsql;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: Debian's initdb and pg_ctl (package postgresql, which .ci/run installs)
/// on a free loopback port in a temporary folder, trust authentication, fsync off; each test gets its own database.
/// As root the server runs as the postgres user (PostgreSQL refuses root).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "simclr-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private int _databases;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        var initdb = FindProgram("initdb");
        var pgctl = FindProgram("pg_ctl");
        Directory.CreateDirectory(_folder);
        if (Environment.UserName == "root") await RunAsync("chown", $"postgres {_folder}", asRoot: true);
        var data = Path.Combine(_folder, "data");
        await RunAsync(initdb, $"-D {data} -U postgres -A trust -E UTF8 --no-sync");
        Port = TrainerProcess.FreePort();
        await RunAsync(pgctl, $"-D {data} -l {Path.Combine(_folder, "server.log")} -w -t 60 " +
            $"-o \"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200\" start");
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public string NewDatabase()
    {
        var name = $"test{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..6]}";
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        create.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>Loads a pg_dump file into the database of <paramref name="connectionString"/> with psql.</summary>
    public Task RestoreAsync(string connectionString, string dumpFile)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        var copy = Path.Combine(_folder, Path.GetFileName(dumpFile));   // readable by the postgres user
        File.Copy(dumpFile, copy, overwrite: true);
        return RunAsync(FindProgram("psql"), $"-h 127.0.0.1 -p {Port} -U postgres -d {database} -v ON_ERROR_STOP=1 -q -f {copy}");
    }

    private string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20";

    public async Task DisposeAsync()
    {
        try { await RunAsync(FindProgram("pg_ctl"), $"-D {Path.Combine(_folder, "data")} -m immediate -w stop"); }
        finally { Directory.Delete(_folder, recursive: true); }
    }

    private static string FindProgram(string name)
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")) : []);
        return candidates.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"PostgreSQL's {name} was not found (apt-get install postgresql; .ci/run installs it).");
    }

    private static async Task RunAsync(string program, string arguments, bool asRoot = false)
    {
        bool dropPrivileges = !asRoot && Environment.UserName == "root";
        var start = new ProcessStartInfo(dropPrivileges ? "runuser" : program, dropPrivileges ? $"-u postgres -- {program} {arguments}" : arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {arguments} exited with {process.ExitCode}: {await output}{await error}");
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
