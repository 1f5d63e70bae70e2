using System.Collections.Concurrent;
using System.Security.Cryptography;
using Recorder.Pipeline;
using Recorder.Storage;

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

    /// <summary>Makes every write of a segment fail, to test failure paths.</summary>
    public Func<int, Exception?>? FailWriteOfSegment { get; init; }

    /// <summary>Awaited before each write (segment, bytes written so far): a slow or stalled upload.</summary>
    public Func<int, long, Task>? BeforeWrite { get; init; }

    public Task<ISegmentWriter> StartSegmentAsync(int number, CancellationToken cancellationToken)
    {
        var stream = new MemoryStream();
        if (!Segments.TryAdd(number, stream)) throw new InvalidOperationException($"segment {number} started twice");
        return Task.FromResult<ISegmentWriter>(new Writer(number, stream, FailWriteOfSegment?.Invoke(number), BeforeWrite));
    }

    public Task PublishManifestAsync(RecordingManifest manifest, CancellationToken cancellationToken)
    {
        lock (Manifests) Manifests.Add(manifest);
        return Task.CompletedTask;
    }

    private sealed class Writer(int number, MemoryStream stream, Exception? failure, Func<int, long, Task>? beforeWrite) : ISegmentWriter
    {
        public string Location => $"memory:segment-{number:0000}.mp4";
        public bool Aborted { get; private set; }

        /// <summary>As if every byte written were acknowledged at once, in one part per write.</summary>
        public UploadProgress? Upload
        {
            get
            {
                lock (stream) return new UploadProgress(stream.Length, stream.Length, _writes, 0, 0, 0, 0, 0, 0);
            }
        }

        private int _writes;

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
        {
            if (failure is not null) throw failure;
            if (beforeWrite is not null) await beforeWrite(number, stream.Length);
            lock (stream)
            {
                stream.Write(plaintext.Span);
                _writes++;
            }
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
