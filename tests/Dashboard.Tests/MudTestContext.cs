using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AspireSimClr.Dashboard.Tests;

/// <summary>bUnit context with MudBlazor's services; MudBlazor's are async-disposable, hence IAsyncLifetime.</summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    protected MudTestContext()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();
}
