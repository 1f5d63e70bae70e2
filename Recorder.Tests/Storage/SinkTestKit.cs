using Recorder.Storage;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Storage;

/// <summary>Shared setup for sink tests over the in-memory store.</summary>
internal static class SinkTestKit
{
    public const int Part = 5 * TestBytes.MiB;

    /// <summary>Fast retries, a budget of (inFlight + 1) parts of 5 MiB.</summary>
    public static MultipartUploadOptions Options(int inFlight = 2, int? budgetParts = null) => new()
    {
        MaxPartsInFlight = inFlight,
        MemoryBudgetBytes = (long)(budgetParts ?? inFlight + 1) * Part,
        MaxRecordingLengthBytes = 1024L * TestBytes.MiB,
        RetryInitialDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        OutageWindow = TimeSpan.FromSeconds(30),
    };

    public static (InMemoryObjectStore Store, ObjectDestination Destination) NewStore(string key = "rec/seg-0001")
    {
        var store = new InMemoryObjectStore();
        store.CreateBucket("bucket");
        return (store, new ObjectDestination("bucket", key));
    }

    public static async Task<byte[]> ReadObjectAsync(IObjectStore store, string bucket, string key)
    {
        var head = await store.HeadObjectAsync(bucket, key, CancellationToken.None) ?? throw new InvalidOperationException($"no object {key}");
        var data = new byte[head.SizeBytes];
        if (data.Length > 0) await store.GetRangeAsync(bucket, key, 0, data, head.ETag, CancellationToken.None);
        return data;
    }
}
