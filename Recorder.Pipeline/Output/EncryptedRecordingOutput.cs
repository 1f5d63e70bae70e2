using Recorder.Crypto;
using Recorder.Crypto.Recipients;
using Recorder.Pipeline;
using Recorder.Storage;

namespace Recorder.Pipeline.Output;

/// <summary>
/// The real recording output: each segment an age v1 file for the given
/// recipients (the host's key, and only what the host configured besides),
/// multipart-uploaded to S3; the manifest next to them in plaintext.
/// </summary>
public sealed class EncryptedRecordingOutput(
    IObjectStore store, RecordingLocation location, IReadOnlyList<IRecipient> recipients, MultipartUploadOptions uploadOptions,
    IUploadStateStore? uploadState = null, long? leaseEpoch = null) : IRecordingOutput
{
    public const string SegmentFormat = "age-v1+fmp4";

    public RecordingLocation Location { get; } = location;
    public IReadOnlyList<string> RecipientFingerprints { get; } = recipients.Select(r => r.Fingerprint).ToArray();
    public string ManifestLocation => Location.Uri(Location.ManifestKey);

    /// <summary>The fencing counter on every object this run writes ("none" outside the service).</summary>
    private string LeaseEpochText => leaseEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";

    public async Task<ISegmentWriter> StartSegmentAsync(int number, CancellationToken cancellationToken)
    {
        var key = Location.SegmentKey(number);
        var destination = new ObjectDestination(Location.Bucket, key)
        {
            Metadata = new Dictionary<string, string>
            {
                ["recording-id"] = Location.RecordingId,
                ["segment"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["format"] = SegmentFormat,
                ["recipients"] = string.Join(' ', RecipientFingerprints),
                ["started-at"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["lease-epoch"] = LeaseEpochText,
            },
            Tags = new Dictionary<string, string>
            {
                ["recorder-recording"] = Location.RecordingId,
                ["recorder-segment"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["recorder-format"] = SegmentFormat,
            },
        };
        var sink = await MultipartUploadSink.StartAsync(store, destination, uploadOptions, uploadState, cancellationToken).ConfigureAwait(false);
        var ciphertext = new HashingWriteStream(sink.Stream);
        try
        {
            var age = await AgeEncryptor.CreateAsync(ciphertext, recipients, new AgeEncryptOptions
            {
                LeaveOpen = true,
                // A recording makes tens of KB/s: each 64 KiB chunk goes on to the sink (and its tail pieces) as soon
                // as it is sealed, where the default 2 MiB batch held about a minute and a half of media and 6 MiB
                // of buffers. Parallel sealing buys nothing at this rate.
                ChunksPerBatch = 1,
                KmsEncryptionContext = KmsEncryptionContext.ForSegment(Location.RecordingId, number, Location.HostId),
            }, cancellationToken).ConfigureAwait(false);
            return new EncryptedSegmentWriter(Location.Uri(key), sink, ciphertext, age);
        }
        catch
        {
            await ciphertext.DisposeAsync().ConfigureAwait(false);
            await sink.AbortAsync(CancellationToken.None).ConfigureAwait(false);
            await sink.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task PublishManifestAsync(RecordingManifest manifest, CancellationToken cancellationToken) =>
        store.PutObjectAsync(new ObjectDestination(Location.Bucket, Location.ManifestKey)
        {
            ContentType = "application/json",
            Metadata = new Dictionary<string, string> { ["recording-id"] = Location.RecordingId, ["state"] = manifest.State, ["lease-epoch"] = LeaseEpochText },
        }, manifest.ToJsonBytes(), cancellationToken);
}
