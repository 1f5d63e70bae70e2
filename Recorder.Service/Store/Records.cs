namespace Recorder.Service.Store;

/// <summary>A host: who may record, and for whom every recording of theirs is encrypted.</summary>
public sealed record HostRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>age1… keys and kms:ARN recipients; every recording of this host is encrypted for exactly these.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }
    /// <summary>The name the recorder joins meetings under, so participants see that they are recorded.</summary>
    public required string DisplayName { get; init; }
    public string? WebhookUrl { get; init; }
    /// <summary>Standard Webhooks secret (whsec_…); shown once when set, never logged.</summary>
    public string? WebhookSecret { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Object Lock for the host's new objects: <c>governance:DAYS</c> or <c>compliance:DAYS</c>; null: the bucket's default.</summary>
    public string? Retention { get; init; }
}

/// <summary>An auditor: reads recordings' metadata and manifests of every host, changes nothing.</summary>
public sealed record AuditorRecord(string Id, string Name, DateTimeOffset CreatedAt);

/// <summary>An API token as stored: its public id and the SHA-256 of its secret part, never the secret.</summary>
public sealed record TokenRecord(string TokenId, string PrincipalId, string Role, byte[] SecretSha256, DateTimeOffset CreatedAt);

/// <summary>One recording as the service tracks it.</summary>
public sealed record RecordingRecord
{
    public required string Id { get; init; }
    public required string HostId { get; init; }
    /// <summary>As requested; may carry a Janus PIN or room secret, so the API shows it redacted.</summary>
    public required string MeetingUri { get; init; }
    public required string MeetingId { get; init; }
    public required string Layout { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required double MaxDurationSeconds { get; init; }
    public required DateTimeOffset StartAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required RecordingState State { get; init; }
    public DateTimeOffset? JoiningAt { get; init; }
    public DateTimeOffset? RecordingAt { get; init; }
    public DateTimeOffset? FinalizingAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndReason { get; init; }
    public string? Error { get; init; }
    public string? ManifestUri { get; init; }
    public long VideoFramesDropped { get; init; }
    public long BytesUploaded { get; init; }
    public DateTimeOffset? StopRequestedAt { get; init; }
    /// <summary>The recipients the recording process was given (from the host's registration when it started).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];
    public IReadOnlyList<SegmentRecord> Segments { get; init; } = [];
}

/// <summary>A completed segment, as the recording process reported it.</summary>
public sealed record SegmentRecord(
    int Number, string Uri, long Bytes, string Sha256, double MediaStartSeconds, double DurationSeconds, string EndReason, bool Truncated);

/// <summary>Who supervises a recording: the worker, the epoch (fencing counter) and until when.</summary>
public sealed record RecordingLease(string RecordingId, string Owner, long Epoch, DateTimeOffset ExpiresAt);

/// <summary>A webhook message to deliver (Standard Webhooks); the URL and secret are the host's at delivery time.</summary>
public sealed record WebhookDelivery(
    string Id, string HostId, string EventType, string Payload, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, int Attempts, string? LastError);

/// <summary>A page of a listing, newest first; <see cref="Next"/> is where the following page starts.</summary>
public sealed record RecordingPage(IReadOnlyList<RecordingRecord> Items, RecordingCursor? Next);

/// <summary>What GET /recordings asks for: one host's (null: all, for operators and auditors), one state or any.</summary>
public sealed record RecordingQuery(string? HostId, RecordingState? State, int Limit, RecordingCursor? After);

/// <summary>
/// Where a listing goes on: after the recording created at <see cref="CreatedAt"/> with <see cref="Id"/>.
/// It names a position, not a row, so it stays valid when that recording is cancelled meanwhile.
/// </summary>
public sealed record RecordingCursor(DateTimeOffset CreatedAt, string Id)
{
    public string Encode() => System.Buffers.Text.Base64Url.EncodeToString(
        System.Text.Encoding.UTF8.GetBytes($"{CreatedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{Id}"));

    public static bool TryDecode(string? text, out RecordingCursor cursor)
    {
        cursor = null!;
        if (text is null || text.Length > 200 || !System.Buffers.Text.Base64Url.IsValid(text)) return false;
        var parts = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(text)).Split(':', 2);
        if (parts.Length != 2 || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || !Recorder.Pipeline.Output.RecordingLocation.IsValidId(parts[1]))
            return false;
        cursor = new RecordingCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1]);
        return true;
    }
}
