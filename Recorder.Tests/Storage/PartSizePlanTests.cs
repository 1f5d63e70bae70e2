using Recorder.Storage;
using static Recorder.Tests.Infrastructure.TestBytes;

namespace Recorder.Tests.Storage;

public sealed class PartSizePlanTests
{
    private const long GiB = 1024L * MiB;

    [Fact]
    public void Twelve_hours_at_2_Mbit_per_s_use_5_MiB_parts_well_under_10000()
    {
        const long length = 2_000_000L / 8 * 12 * 3600; // 10.8 GB
        var plan = PartSizePlan.Choose(length, length);
        Assert.Equal(5 * MiB, plan.InitialPartSizeBytes);
        Assert.True((length + plan.InitialPartSizeBytes - 1) / plan.InitialPartSizeBytes < 10_000);
        Assert.True(plan.CapacityBytes >= length);
    }

    [Fact]
    public void Parts_grow_after_half_the_numbers_when_a_recording_outlives_its_estimate()
    {
        var plan = PartSizePlan.Choose(expectedLengthBytes: 10 * GiB, maxLengthBytes: 200 * GiB);
        Assert.Equal(5 * MiB, plan.SizeOfPart(1));
        Assert.Equal(5 * MiB, plan.SizeOfPart(5000));
        Assert.True(plan.SizeOfPart(5001) > plan.SizeOfPart(5000));
        Assert.Equal(0, plan.SizeOfPart(5001) % MiB);
        Assert.True(plan.CapacityBytes >= 200 * GiB);
        Assert.True(plan.CapacityBytes - 200 * GiB < 5000L * MiB); // rounded to whole MiB, no more
    }

    [Fact]
    public void A_large_expected_length_raises_the_first_part_size()
    {
        var plan = PartSizePlan.Choose(100 * GiB, 100 * GiB);
        Assert.Equal(21 * MiB, plan.InitialPartSizeBytes); // 100 GiB / 5000 = 20.48 MiB, rounded up
        Assert.Equal(plan.InitialPartSizeBytes, plan.GrownPartSizeBytes);
    }

    [Fact]
    public void Options_refuse_a_budget_that_cannot_hold_the_parts_in_flight()
    {
        var options = new MultipartUploadOptions { MaxPartsInFlight = 4, MemoryBudgetBytes = 20 * MiB, MaxRecordingLengthBytes = GiB };
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal("MemoryBudgetBytes", e.ParamName);
        Assert.Equal(25 * MiB, options.MinimumMemoryBudgetBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => PartSizePlan.Choose(1, 2, minPartSizeBytes: MiB));
    }
}
