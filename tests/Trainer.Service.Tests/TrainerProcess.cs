using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AspireSimClr.Trainer.Tests.Support;

namespace AspireSimClr.Trainer.Service.Tests;

/// <summary>
/// The trainer as a real operating-system process on a loopback port (the build output's own
/// executable), so tests can kill it with SIGKILL and start it again on the same data folder.
/// </summary>
public sealed class TrainerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private TrainerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", TrainerFactory.ApiKey);
    }

    public Uri Address { get; }
    public HttpClient Client { get; }
    public int Id => _process.Id;
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <param name="waitUntilHealthy">Return once it answers /health (false: at once, e.g. while its startup is held up on purpose).</param>
    public static async Task<TrainerProcess> StartAsync(string dataRoot, IReadOnlyDictionary<string, string>? settings = null, bool waitUntilHealthy = true)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AspireSimClr.Trainer"))
        {
            ArgumentList = { "--urls", address.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Trainer__DataRoot"] = dataRoot;
        start.Environment["Trainer__ApiKey"] = TrainerFactory.ApiKey;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key.Replace(":", "__")] = value;
        var trainer = new TrainerProcess(Process.Start(start)!, address);
        trainer._process.OutputDataReceived += (_, e) => trainer.Append(e.Data);
        trainer._process.ErrorDataReceived += (_, e) => trainer.Append(e.Data);
        trainer._process.BeginOutputReadLine();
        trainer._process.BeginErrorReadLine();
        if (waitUntilHealthy) await trainer.WaitUntilHealthyAsync();
        return trainer;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine or the kernel ends the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator's stop or systemd sends it; returns the exit code once the process has ended.</summary>
    public async Task<int> TerminateAsync()
    {
        Signals.Send(_process.Id, Signals.Terminate);
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The trainer exited with code {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await Client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The trainer did not become healthy within a minute:\n{Log}");
            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
