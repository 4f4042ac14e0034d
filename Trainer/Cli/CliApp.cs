using System.Runtime.InteropServices;
using System.CommandLine;
using AspireSimClr.Engine;
using AspireSimClr.Engine.Data;

namespace AspireSimClr.Trainer.Cli;

/// <summary>The headless command line: train, eval, embed, export, bench, bench-data and bench-store over the engine and the run store.</summary>
public static class CliApp
{
    public static readonly string[] Commands = ["train", "eval", "embed", "export", "bench", "bench-data", "bench-store", "--help", "-h", "-?", "--version"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = new RootCommand("AspireSimClr trainer: SimCLR self-supervised training with TorchSharp.")
        {
            TrainCommand.Create(output),
            EvalCommand.Create(output),
            EmbedCommand.Create(output),
            ExportCommand.Create(output),
            BenchCommand.Create(output),
            BenchDataCommand.Create(output),
            BenchStoreCommand.Create(output),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Usage errors exit 2, like the commands' own, and each names its flag.
            foreach (var problem in parse.Errors) error.WriteLine($"error: {Flag(problem.SymbolResult)}{problem.Message}");
            return 2;
        }

        // Ctrl+C (SIGINT) and SIGTERM (kill, timeout, docker stop, systemd) ask the running command to stop (training saves a
        // checkpoint first) instead of killing it; a second signal takes the default, ending the process at once.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void RequestStop(PosixSignalContext context)
        {
            if (interrupt.IsCancellationRequested) return;
            context.Cancel = true;
            error.WriteLine($"Stopping after the current step ({(context.Signal == PosixSignal.SIGINT ? "Ctrl+C" : "SIGTERM")} again to force)...");
            interrupt.Cancel();
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, interrupt.Token);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            // Stopped before training had anything to save (e.g. while decoding the data).
            error.WriteLine("Stopped.");
            return 130;
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            error.WriteLine($"error: {message}");
            return ex is CliUsageException or InvalidConfigException ? 2 : 1;
        }
    }

    /// <summary>The user-facing message for errors that are the input's fault, not a bug.</summary>
    private static string Flag(System.CommandLine.Parsing.SymbolResult? symbol) => symbol switch
    {
        System.CommandLine.Parsing.OptionResult option => $"{option.Option.Name}: ",
        System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult option } => $"{option.Option.Name}: ",
        _ => "",
    };

    private static string? Describe(Exception ex) => ex switch
    {
        CliUsageException or DataFormatException or DataNotFoundException or TrainingDivergedException or FileNotFoundException or InvalidDataException => ex.Message,
        InvalidConfigException invalid => string.Join(Environment.NewLine, invalid.Errors.Select(e => $"--{ConfigOptions.Kebab(e.Field)}: {e.Message}")),
        _ => null,
    };
}
