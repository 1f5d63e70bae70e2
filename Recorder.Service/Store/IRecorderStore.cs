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
    Task<bool> SetStateAsync(string recordingId, RecordingState state, DateTimeOffset at, string? endReason, string? error, CancellationToken cancellationToken);

    Task SetManifestAsync(string recordingId, string manifestUri, CancellationToken cancellationToken);
    Task SetProgressAsync(string recordingId, long videoFramesDropped, long bytesUploaded, CancellationToken cancellationToken);
    Task AddSegmentAsync(string recordingId, SegmentRecord segment, CancellationToken cancellationToken);

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
