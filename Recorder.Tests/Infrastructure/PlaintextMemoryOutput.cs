using System.Collections.Concurrent;
using System.Security.Cryptography;
using Recorder.Service.Pipeline;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// Test double of the encrypting, uploading recording output: keeps each
/// segment's plaintext in memory so media tests can decode it. The real output
/// (age + S3) is exercised by the integration tests.
/// </summary>
public sealed class PlaintextMemoryOutput : IRecordingOutput
{
    public ConcurrentDictionary<int, MemoryStream> Segments { get; } = new();
    public List<RecordingManifest> Manifests { get; } = [];
    public IReadOnlyList<string> RecipientFingerprints { get; } = ["test-double:plaintext"];
    public string ManifestLocation => "memory:manifest.json";

    /// <summary>Makes StartSegmentAsync or the Nth write fail, to test failure paths.</summary>
    public Func<int, Exception?>? FailWriteOfSegment { get; init; }

    public Task<ISegmentWriter> StartSegmentAsync(int number, CancellationToken cancellationToken)
    {
        var stream = new MemoryStream();
        if (!Segments.TryAdd(number, stream)) throw new InvalidOperationException($"segment {number} started twice");
        return Task.FromResult<ISegmentWriter>(new Writer(number, stream, FailWriteOfSegment?.Invoke(number)));
    }

    public Task PublishManifestAsync(RecordingManifest manifest, CancellationToken cancellationToken)
    {
        lock (Manifests) Manifests.Add(manifest);
        return Task.CompletedTask;
    }

    private sealed class Writer(int number, MemoryStream stream, Exception? failure) : ISegmentWriter
    {
        public string Location => $"memory:segment-{number:0000}.mp4";
        public bool Aborted { get; private set; }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
        {
            if (failure is not null) throw failure;
            stream.Write(plaintext.Span);
            return ValueTask.CompletedTask;
        }

        public Task<SegmentWritten> CompleteAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new SegmentWritten(Location, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream.ToArray())), stream.Length));

        public Task AbortAsync(CancellationToken cancellationToken)
        {
            Aborted = true;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
