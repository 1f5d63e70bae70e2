using System.Diagnostics;
using Recorder.Storage;
using Recorder.Tests.Infrastructure;
using static Recorder.Tests.Infrastructure.TestBytes;

namespace Recorder.Tests.Storage;

/// <summary>
/// The sink against the real Ceph gateway through <see cref="FaultInjectingS3Proxy"/>:
/// errors, resets, latency and a full outage must cost time, never bytes or memory.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CephSinkFaultTests(CephFixture ceph)
{
    private const int Part = 5 * MiB;

    private static MultipartUploadOptions Options(TimeSpan outageWindow) => new()
    {
        MaxPartsInFlight = 3,
        MemoryBudgetBytes = 4L * Part,
        MaxRecordingLengthBytes = 1024L * MiB,
        OutageWindow = outageWindow,
        RetryInitialDelay = TimeSpan.FromMilliseconds(100),
        RetryMaxDelay = TimeSpan.FromSeconds(3),
    };

    private IAmazonS3Owner Client(FaultInjectingS3Proxy proxy) =>
        new(ceph.Options with { ServiceUrl = proxy.Endpoint.ToString().TrimEnd('/'), MaxErrorRetries = 0, RequestTimeout = TimeSpan.FromSeconds(30) });

    [Fact]
    public async Task Upload_through_errors_resets_latency_and_a_60_s_outage_is_byte_identical_and_within_budget()
    {
        var bucket = await ceph.CreateBucketAsync("faults");
        await using var proxy = new FaultInjectingS3Proxy(new Uri(ceph.Options.ServiceUrl!), new FaultPlan
        {
            FirstFaults = [InjectedFault.Error500, InjectedFault.ResetMidBody, InjectedFault.LatencySpike, InjectedFault.Error503],
        });
        using var owner = Client(proxy);
        var options = Options(TimeSpan.FromMinutes(3));
        var data = Random(12 * Part + 12_345, seed: 60);
        var sink = await MultipartUploadSink.StartAsync(new S3ObjectStore(owner.Client), new ObjectDestination(bucket, "rec/seg-0001"), options);

        var fourthPart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        proxy.PartForwarded = n => { if (n == 4) fourthPart.TrySetResult(); };
        long uploadedAtOutageStart = 0, acceptedAtOutageEnd = 0;
        var outage = Task.Run(async () =>
        {
            await fourthPart.Task;
            proxy.BeginOutage();
            uploadedAtOutageStart = sink.Progress.UploadedBytes;
            await Task.Delay(TimeSpan.FromSeconds(60)); // the outage itself, not a synchronisation
            acceptedAtOutageEnd = sink.Progress.AcceptedBytes;
            proxy.EndOutage();
        });

        for (var offset = 0; offset < data.Length; offset += 65_536)
            await sink.Stream.WriteAsync(data.AsMemory(offset, Math.Min(65_536, data.Length - offset)));
        var result = await sink.CompleteAsync();
        await outage;

        var back = await ReadAllViaCephAsync(bucket, "rec/seg-0001");
        Assert.Equal(Sha256(data), Sha256(back));
        Assert.Equal(data.Length, result.LengthBytes);
        Assert.True(uploadedAtOutageStart < data.Length && acceptedAtOutageEnd < data.Length, "the outage was not in the middle");
        Assert.True(proxy.OutageResets > 0);
        foreach (var kind in new[] { InjectedFault.Error500, InjectedFault.Error503, InjectedFault.ResetMidBody, InjectedFault.LatencySpike })
            Assert.True(proxy.Count(kind) > 0, $"no {kind} was injected");
        var progress = sink.Progress;
        Assert.True(progress.Retries >= proxy.Count(InjectedFault.Error500) + proxy.Count(InjectedFault.Error503));
        Assert.InRange(progress.PeakReservedBytes, 1, options.MemoryBudgetBytes);
        Assert.InRange(progress.PeakBufferedBytes, 1, options.MemoryBudgetBytes);
    }

    [Fact]
    public async Task An_outage_longer_than_the_window_fails_with_a_clear_error_naming_the_object()
    {
        var bucket = await ceph.CreateBucketAsync("outage");
        await using var proxy = new FaultInjectingS3Proxy(new Uri(ceph.Options.ServiceUrl!), new FaultPlan { ErrorRate = 0, ResetRate = 0, LatencyRate = 0 });
        using var owner = Client(proxy);
        var sink = await MultipartUploadSink.StartAsync(new S3ObjectStore(owner.Client), new ObjectDestination(bucket, "rec/seg-0002"),
            Options(TimeSpan.FromSeconds(3)));
        proxy.BeginOutage();
        var clock = Stopwatch.StartNew();
        await sink.Stream.WriteAsync(new byte[Part + 1]);

        var e = await Assert.ThrowsAsync<StorageOutageException>(() => sink.CompleteAsync());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30));
        Assert.Contains($"s3://{bucket}/rec/seg-0002", e.Message);
        Assert.Contains("outage window", e.Message);
        proxy.EndOutage();
        await sink.AbortAsync();
    }

    private async Task<byte[]> ReadAllViaCephAsync(string bucket, string key)
    {
        using var response = await ceph.Client.GetObjectAsync(bucket, key);
        return await ReadAllAsync(response.ResponseStream);
    }
}

/// <summary>Owns an SDK client built from options (disposed with it).</summary>
internal sealed class IAmazonS3Owner(S3ConnectionOptions options) : IDisposable
{
    public Amazon.S3.IAmazonS3 Client { get; } = options.CreateClient();

    public void Dispose() => Client.Dispose();
}
