using AspireSimClr.Engine.Runtime;

namespace AspireSimClr.Trainer.Tests.Runtime;

public class RuntimeChoiceTests
{
    [Theory]
    [InlineData(PrecisionNames.Auto, null, true, false, PrecisionNames.Bf16, true)]     // GPU with native bf16: bf16 with its preferred layout
    [InlineData(PrecisionNames.Auto, null, false, false, PrecisionNames.Fp32, false)]   // emulated bf16 would be slower: fp32, NCHW on a GPU
    [InlineData(PrecisionNames.Auto, null, false, true, PrecisionNames.Fp32, true)]     // a CPU prefers channels-last in fp32 too
    [InlineData(PrecisionNames.Auto, null, true, true, PrecisionNames.Bf16, true)]
    [InlineData(PrecisionNames.Auto, false, true, true, PrecisionNames.Bf16, false)]    // an explicit layout is kept
    [InlineData(PrecisionNames.Fp32, null, true, false, PrecisionNames.Fp32, false)]    // an explicit precision is kept
    [InlineData(PrecisionNames.Bf16, null, false, false, PrecisionNames.Bf16, true)]
    [InlineData(PrecisionNames.Fp32, true, false, false, PrecisionNames.Fp32, true)]
    public void AutoBecomesBf16WhereBf16IsNativeAndChannelsLastWhereTheKernelsPreferIt(string precision, bool? channelsLast, bool nativeBf16, bool cpu, string expectedPrecision, bool expectedChannelsLast)
    {
        var config = new TrainingConfig { Precision = precision, ChannelsLast = channelsLast };
        var choice = RuntimeChoice.Resolve(config, nativeBf16, cpu, cpu ? "the CPU" : "the GPU");
        Assert.Equal(expectedPrecision, choice.Precision);
        Assert.Equal(expectedChannelsLast, choice.ChannelsLast);
        Assert.Equal(precision == PrecisionNames.Auto, choice.Reason.StartsWith("auto:", StringComparison.Ordinal));
        var applied = choice.ApplyTo(config);
        Assert.Equal((expectedPrecision, (bool?)expectedChannelsLast), (applied.Precision, applied.ChannelsLast));
    }

    [Fact]
    public void CpuFlagsComeFromTheFlagsLineOfProcCpuinfo()
    {
        string[] epyc = ["processor\t: 0", "model name\t: AMD EPYC", "flags\t\t: fpu sse avx2 avx512f avx512_bf16 avx512_vnni", "bugs\t\t: sysret_ss_attrs"];
        string[] older = ["processor\t: 0", "flags\t\t: fpu sse avx2 avx512f avx512_vnni"];
        Assert.True(CpuFeatures.HasBf16(CpuFeatures.ParseCpuInfo(epyc)));
        Assert.True(CpuFeatures.HasBf16(CpuFeatures.ParseCpuInfo(["flags : sse amx_tile amx_bf16"])));
        Assert.False(CpuFeatures.HasBf16(CpuFeatures.ParseCpuInfo(older)));
        Assert.False(CpuFeatures.HasBf16(CpuFeatures.ParseCpuInfo([])));
    }
}
