namespace Recorder.Service.Store;

/// <summary>
/// The service's own state: hosts, auditors, token hashes, recordings with
/// their segments, webhook deliveries. Embedded (SQLite) by default;
/// transitions that race (a job starting vs. a DELETE, a stop vs. the end)
/// are single conditional statements, so the store decides who wins.
/// </summary>
public interface IRecorderStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Cheap round trip, for /readyz.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    Task AddHostAsync(HostRecord host, TokenRecord token, CancellationToken cancellationToken);
    Task<HostRecord?> GetHostAsync(string hostId, CancellationToken cancellationToken);
    Task<IReadOnlyList<HostRecord>> ListHostsAsync(CancellationToken cancellationToken);
    Task<bool> UpdateHostAsync(HostRecord host, CancellationToken cancellationToken);
    /// <summary>The host's Object Lock retention for new objects (<c>governance:DAYS</c> or <c>compliance:DAYS</c>).</summary>
    Task SetHostRetentionAsync(string hostId, string policy, DateTimeOffset at, CancellationToken cancellationToken);
    Task SetLegalHoldAsync(string recordingId, bool on, DateTimeOffset at, CancellationToken cancellationToken);
    Task<bool> GetLegalHoldAsync(string recordingId, CancellationToken cancellationToken);

    Task AddAuditorAsync(AuditorRecord auditor, TokenRecord token, CancellationToken cancellationToken);
    Task<IReadOnlyList<AuditorRecord>> ListAuditorsAsync(CancellationToken cancellationToken);

    /// <summary>Replaces every token of the principal with this one (rotation); false if the principal does not exist.</summary>
    Task<bool> ReplaceTokenAsync(TokenRecord token, CancellationToken cancellationToken);
    Task<TokenRecord?> FindTokenAsync(string tokenId, CancellationToken cancellationToken);

    Task AddRecordingAsync(RecordingRecord recording, CancellationToken cancellationToken);
    Task<RecordingRecord?> GetRecordingAsync(string recordingId, CancellationToken cancellationToken);
    Task<RecordingPage> ListRecordingsAsync(RecordingQuery query, CancellationToken cancellationToken);
    Task<IReadOnlyList<RecordingRecord>> ListRecordingsInStatesAsync(IReadOnlyList<RecordingState> states, CancellationToken cancellationToken);
    Task<int> CountRecordingsInStateAsync(RecordingState state, CancellationToken cancellationToken);

    /// <summary>scheduled → joining, only if still scheduled (not deleted, not started by another run).</summary>
    Task<bool> TryStartAsync(string recordingId, IReadOnlyList<string> recipients, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Moves an active recording to <paramref name="state"/> (a later state only; a terminal state is never left).</summary>
    /// <remarks>With <paramref name="epoch"/>, only while the recording's lease still has that epoch (a fenced write).</remarks>
    Task<bool> SetStateAsync(string recordingId, RecordingState state, DateTimeOffset at, string? endReason, string? error, CancellationToken cancellationToken,
        long? epoch = null);

    Task SetManifestAsync(string recordingId, string manifestUri, CancellationToken cancellationToken);
    Task SetProgressAsync(string recordingId, long videoFramesDropped, long bytesUploaded, CancellationToken cancellationToken);
    /// <summary>Adds (or, reported again, replaces) a segment; with <paramref name="epoch"/>, only while the lease has that epoch.</summary>
    Task<bool> AddSegmentAsync(string recordingId, SegmentRecord segment, CancellationToken cancellationToken, long? epoch = null);

    /// <summary>
    /// Takes the recording's lease for <paramref name="owner"/> until now + <paramref name="ttl"/>: a first one (epoch 1) or an
    /// expired one (epoch incremented). Null while another holder's lease is live.
    /// </summary>
    Task<long?> AcquireLeaseAsync(string recordingId, string owner, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Pushes the expiry to now + <paramref name="ttl"/>; false when the lease is no longer this owner's epoch (taken over).</summary>
    Task<bool> RenewLeaseAsync(string recordingId, string owner, long epoch, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Lets the lease expire now (a hand-over: another worker may take the recording at once).</summary>
    Task<bool> ReleaseLeaseAsync(string recordingId, string owner, long epoch, DateTimeOffset now, CancellationToken cancellationToken);

    Task<RecordingLease?> GetLeaseAsync(string recordingId, CancellationToken cancellationToken);

    /// <summary>
    /// Active recordings nobody supervises (lease expired, or none taken within <paramref name="unleasedGrace"/> of joining),
    /// each claimed for a take-over by exactly one caller; a claim not acted on within <paramref name="requestTimeout"/> may be claimed again.
    /// </summary>
    Task<IReadOnlyList<string>> ClaimOrphansAsync(DateTimeOffset now, TimeSpan unleasedGrace, TimeSpan requestTimeout, CancellationToken cancellationToken);

    /// <summary>Marks a stop request on an active recording; false when it is not active.</summary>
    Task<bool> RequestStopAsync(string recordingId, DateTimeOffset at, CancellationToken cancellationToken);
    Task<bool> IsStopRequestedAsync(string recordingId, CancellationToken cancellationToken);

    /// <summary>Deletes a recording that has not started; false when it has (or does not exist).</summary>
    Task<bool> DeleteScheduledAsync(string recordingId, CancellationToken cancellationToken);

    Task AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken);
    Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken);
    Task RecordDeliveryAttemptAsync(string deliveryId, DateTimeOffset? deliveredAt, string? error, CancellationToken cancellationToken);
    Task<IReadOnlyList<WebhookDelivery>> ListUndeliveredAsync(CancellationToken cancellationToken);
}
