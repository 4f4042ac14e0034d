using System.Runtime.CompilerServices;
using AspireSimClr.Engine.Runtime;

namespace AspireSimClr.Trainer.Tests;

internal static class TestAssemblySetup
{
    /// <summary>The engine runs inside the test process here, so it gets the allocator setting the trainer gives itself.</summary>
    [ModuleInitializer]
    internal static void KeepLargeBuffersMapped() => GlibcAllocator.KeepLargeBuffersMapped();
}
