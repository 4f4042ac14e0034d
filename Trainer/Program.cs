using AspireSimClr.Engine.Runtime;
using AspireSimClr.Trainer;
using AspireSimClr.Trainer.Cli;

// Before libtorch allocates anything: about twice the CPU training speed under glibc.
GlibcAllocator.KeepLargeBuffersMapped();

// `AspireSimClr.Trainer train|eval|embed|export|bench ...` is the headless command line;
// anything else starts the web service.
if (CliApp.IsCommand(args)) return await CliApp.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTrainerService();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTrainerService();
await app.RunAsync();
return 0;

public partial class Program;
