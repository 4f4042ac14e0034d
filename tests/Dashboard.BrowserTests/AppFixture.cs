using Microsoft.Extensions.DependencyInjection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;

namespace AspireSimClr.Dashboard.BrowserTests;

/// <summary>The real application (AppHost with trainer and dashboard) and a headless Debian Chromium, shared by the browser tests.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public const string ApiKey = "browser-test-key";
    public const string Password = "browser-test-password";
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "simclr-browser-" + Guid.NewGuid().ToString("N"));
    private DistributedApplication? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    /// <summary>A browser context signed in to the dashboard; pages of the tests open in it.</summary>
    public IBrowserContext SignedIn { get; private set; } = null!;
    public Uri DashboardUrl { get; private set; } = null!;
    public HttpClient Trainer { get; private set; } = null!;

    /// <summary>Screenshots go to TestResults/screenshots under the repository (or SCREENSHOT_DIR).</summary>
    public static string ScreenshotDir { get; } = Environment.GetEnvironmentVariable("SCREENSHOT_DIR")
        ?? Path.Combine(RepositoryRoot(), "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Parameters:data-root={_dataRoot}", $"--Parameters:api-key={ApiKey}", $"--Parameters:dashboard-password={Password}"]);
        _app = await builder.BuildAsync();
        // Every resource's console output goes to TestResults/logs (one file per resource instance), so a
        // failing test can be read next to the screenshots.
        var logs = _app.Services.GetRequiredService<Aspire.Hosting.ApplicationModel.ResourceLoggerService>();
        Directory.CreateDirectory(LogDir);
        _logTasks.Add(Task.Run(async () =>
        {
            var watched = new HashSet<string>();
            try
            {
                await foreach (var e in _app.ResourceNotifications.WatchAsync(_stopLogs.Token))
                {
                    if (!watched.Add(e.ResourceId)) continue;
                    string id = e.ResourceId;
                    _logTasks.Add(Task.Run(async () =>
                    {
                        await using var file = new StreamWriter(Path.Combine(LogDir, id + ".log"), append: false) { AutoFlush = true };
                        try
                        {
                            await foreach (var batch in logs.WatchAsync(id).WithCancellation(_stopLogs.Token))
                                foreach (var line in batch) await file.WriteLineAsync(line.Content);
                        }
                        catch (OperationCanceledException) { }
                    }));
                }
            }
            catch (OperationCanceledException) { }
        }));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await _app.StartAsync(timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("dashboard", timeout.Token);
        DashboardUrl = _app.GetEndpoint("dashboard", "http");
        Trainer = _app.CreateHttpClient("trainer");
        Trainer.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

        Assertions.SetDefaultExpectTimeout(60_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotDir);
        SignedIn = await NewContextAsync();
        var page = await SignedIn.NewPageAsync();
        await SignInAsync(page, Password);
        await Assertions.Expect(page.Locator("#page-title")).ToHaveTextAsync("Runs");
        await page.CloseAsync();
    }

    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });

    /// <summary>Opens the dashboard, which sends a stranger to its sign-in page, and signs in there.</summary>
    public async Task SignInAsync(IPage page, string password)
    {
        await page.GotoAsync(DashboardUrl.ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#sign-in").ClickAsync();
    }

    public async Task<IPage> NewPageAsync()
    {
        var page = await SignedIn.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        return page;
    }

    /// <summary>Opens a dashboard page and waits until its Blazor circuit is interactive (prerendered HTML ignores clicks).</summary>
    public async Task<IPage> OpenAsync(string path, IPage? page = null)
    {
        page ??= await NewPageAsync();
        // Readiness is the interactive circuit, not the load event: on a busy 2-core machine a page streaming
        // live updates was seen to keep "load" from firing within a minute although the circuit was serving it.
        await page.GotoAsync(new Uri(DashboardUrl, path).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.Locator("#app-layout")).ToHaveAttributeAsync("data-interactive", "true");
        return page;
    }

    /// <summary>
    /// The download that <paramref name="click"/> starts through a link with target="_blank". Chromium opens a popup for it;
    /// Playwright reports the download on the opener, or on the popup when the popup's page had been initialised first
    /// (its Chromium backend's onDownloadWillBegin), so both are watched. Without a download the failure says which pages
    /// opened, to tell a click that missed from a download that never began.
    /// </summary>
    public static async Task<IDownload> DownloadThroughPopupAsync(IPage page, Func<Task> click)
    {
        var download = new TaskCompletionSource<IDownload>(TaskCreationOptions.RunContinuationsAsynchronously);
        var popups = new System.Collections.Concurrent.ConcurrentQueue<IPage>();
        void OnDownload(object? sender, IDownload d) => download.TrySetResult(d);
        void OnPopup(object? sender, IPage popup)
        {
            popups.Enqueue(popup);
            popup.Download += OnDownload;
        }
        page.Download += OnDownload;
        page.Popup += OnPopup;
        try
        {
            await click();
            try
            {
                return await download.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                var opened = popups.IsEmpty ? "no popup opened" : "popups at " + string.Join(", ", popups.Select(p => p.Url));
                throw new TimeoutException($"No download within 60 s of the click ({opened}; the page is at {page.Url}).");
            }
        }
        finally
        {
            page.Download -= OnDownload;
            page.Popup -= OnPopup;
        }
    }

    /// <summary>Stops the trainer resource as the Aspire dashboard's Stop command does, and waits until it has exited.</summary>
    public async Task StopTrainerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await _app!.ResourceCommands.ExecuteCommandAsync("trainer", KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(result.Success, $"Stopping the trainer failed: {result.Message}");
        await _app.ResourceNotifications.WaitForResourceAsync("trainer", [KnownResourceStates.Exited, KnownResourceStates.Finished], timeout.Token);
    }

    public async Task StartTrainerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await _app!.ResourceCommands.ExecuteCommandAsync("trainer", KnownResourceCommands.StartCommand, timeout.Token);
        Assert.True(result.Success, $"Starting the trainer failed: {result.Message}");
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("trainer", timeout.Token);
    }

    public static string LogDir { get; } = Path.Combine(Path.GetDirectoryName(ScreenshotDir)!, "logs");
    private readonly System.Collections.Concurrent.ConcurrentBag<Task> _logTasks = [];
    private readonly CancellationTokenSource _stopLogs = new();

    public async Task DisposeAsync()
    {
        _stopLogs.Cancel();
        await Task.WhenAll(_logTasks.ToArray());
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Trainer?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (Directory.Exists(_dataRoot)) Directory.Delete(_dataRoot, recursive: true);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AspireSimClr.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
