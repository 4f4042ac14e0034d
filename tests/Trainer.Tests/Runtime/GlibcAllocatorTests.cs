using System.Diagnostics;

namespace AspireSimClr.Trainer.Tests.Runtime;

/// <summary>The trainer keeps libtorch's large buffers mapped by itself, whatever its environment.</summary>
public class GlibcAllocatorTests
{
    [Fact]
    public async Task TheTrainerSetsTheAllocatorItselfWithoutTheEnvironmentVariables()
    {
        var header = await BenchHeader(new Dictionary<string, string?> { ["MALLOC_MMAP_THRESHOLD_"] = null, ["MALLOC_TRIM_THRESHOLD_"] = null, ["GLIBC_TUNABLES"] = null });
        Assert.Contains("allocator: glibc, large buffers kept mapped (mallopt)", header);
    }

    [Fact]
    public async Task WhatTheUserSetsInTheEnvironmentIsLeftAlone()
    {
        var header = await BenchHeader(new Dictionary<string, string?> { ["MALLOC_MMAP_THRESHOLD_"] = null, ["MALLOC_TRIM_THRESHOLD_"] = "1048576", ["GLIBC_TUNABLES"] = null });
        Assert.Contains("allocator: as set in the environment (MALLOC_TRIM_THRESHOLD_)", header);
    }

    private static async Task<string> BenchHeader(Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AspireSimClr.Trainer"),
            ["bench", "--cases", "tiny-cnn:4", "--steps", "1", "--warmup", "0", "--rounds", "1", "--precision", "fp32", "--channels-last", "false", "--threads", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"bench exited with {process.ExitCode}: {await error}");
        return (await output).Split('\n')[0];
    }
}
