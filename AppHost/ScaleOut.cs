using System.Diagnostics;
using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

/// <summary>
/// The scale-out mode (ScaleOut:Trainers = N > 0, or the scale-out launch profile): PostgreSQL holds the runs, Redis
/// carries SignalR between trainers, and N trainer replicas share the queue and the artifact folder. With a container
/// runtime they are Aspire's PostgreSQL and Redis containers; without one, Debian's postgresql and redis-server run as
/// executables (loopback, trust authentication: a development setup).
/// </summary>
internal static class ScaleOut
{
    public sealed record Infrastructure(Action<IResourceBuilder<ProjectResource>> Attach);

    public static int Trainers(IDistributedApplicationBuilder builder) => builder.Configuration.GetValue("ScaleOut:Trainers", 0);

    public static Infrastructure Add(IDistributedApplicationBuilder builder, string dataRoot)
    {
        bool containers = builder.Configuration["ScaleOut:Infrastructure"] switch
        {
            "containers" => true,
            "executables" => false,
            _ => ContainerRuntimeAnswers(),
        };
        if (containers)
        {
            var runs = builder.AddPostgres("postgres").AddDatabase("runs");
            var redis = builder.AddRedis("redis");
            return new Infrastructure(trainer => trainer.WithReference(runs).WaitFor(runs).WithReference(redis).WaitFor(redis));
        }

        int postgresPort = builder.Configuration.GetValue("ScaleOut:PostgresPort", 55433);
        int redisPort = builder.Configuration.GetValue("ScaleOut:RedisPort", 56380);
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var postgres = builder.AddExecutable("postgres", "bash", repository, "scripts/scale-out/postgres.sh",
                Path.Combine(dataRoot, "scale-out", "postgres"), postgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithHealthCheck(Listening(builder, "postgres", postgresPort));
        var redisServer = builder.AddExecutable("redis", "redis-server", repository,
                "--port", redisPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
            .WithHealthCheck(Listening(builder, "redis", redisPort));
        return new Infrastructure(trainer => trainer
            .WithEnvironment("ConnectionStrings__runs", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={postgresPort};Username=postgres;Database=postgres"))
            .WithEnvironment("ConnectionStrings__redis", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"127.0.0.1:{redisPort}"))
            .WaitFor(postgres).WaitFor(redisServer));
    }

    /// <summary>A health check that passes once something accepts TCP connections on the loopback port.</summary>
    private static string Listening(IDistributedApplicationBuilder builder, string name, int port)
    {
        var key = $"{name}-listening";
        builder.Services.AddHealthChecks().AddAsyncCheck(key, async cancellationToken =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (SocketException ex)
            {
                return HealthCheckResult.Unhealthy($"nothing listens on port {port} yet: {ex.Message}");
            }
        });
        return key;
    }

    /// <summary>Whether docker (or podman) answers: a CLI alone, without its daemon, is not a runtime.</summary>
    private static bool ContainerRuntimeAnswers()
    {
        foreach (var cli in new[] { "docker", "podman" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(cli, "info") { RedirectStandardOutput = true, RedirectStandardError = true });
                if (process is null) continue;
                if (process.WaitForExit(TimeSpan.FromSeconds(10)) && process.ExitCode == 0) return true;
                if (!process.HasExited) process.Kill();
            }
            catch (System.ComponentModel.Win32Exception) { }
        }
        return false;
    }
}
