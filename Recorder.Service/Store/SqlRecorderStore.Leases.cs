namespace Recorder.Service.Store;

// Leases: exactly one worker supervises a running recording. A lease has an owner, an epoch (the fencing
// counter: every take-over increments it, and the supervisor's writes name the epoch they hold) and an
// expiry that the holder pushes forward; another worker may take the recording over only once it has passed.
public abstract partial class SqlRecorderStore
{
    private static readonly string ActiveStates =
        string.Join(", ", new[] { RecordingState.Joining, RecordingState.Recording, RecordingState.Finalizing }.Select(s => $"'{s.Name()}'"));

    public async Task<long?> AcquireLeaseAsync(string recordingId, string owner, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        // One statement: a first lease is epoch 1; an expired one is taken with the epoch incremented; a live one is left alone.
        var epoch = await ScalarAsync("""
            INSERT INTO leases (recording_id, owner, epoch, expires_at) VALUES (@id, @owner, 1, @expires)
            ON CONFLICT (recording_id) DO UPDATE SET owner = @owner, epoch = leases.epoch + 1, expires_at = @expires, takeover_requested_at = NULL
            WHERE leases.expires_at <= @now
            RETURNING epoch
            """,
            [("id", recordingId), ("owner", owner), ("expires", Time(now + ttl)), ("now", Time(now))], cancellationToken).ConfigureAwait(false);
        return epoch is null or DBNull ? null : Convert.ToInt64(epoch, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<bool> RenewLeaseAsync(string recordingId, string owner, long epoch, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE leases SET expires_at = @expires WHERE recording_id = @id AND owner = @owner AND epoch = @epoch",
            [("expires", Time(now + ttl)), ("id", recordingId), ("owner", owner), ("epoch", epoch)], cancellationToken).ConfigureAwait(false) == 1;

    public async Task<bool> ReleaseLeaseAsync(string recordingId, string owner, long epoch, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE leases SET expires_at = @now WHERE recording_id = @id AND owner = @owner AND epoch = @epoch",
            [("now", Time(now)), ("id", recordingId), ("owner", owner), ("epoch", epoch)], cancellationToken).ConfigureAwait(false) == 1;

    public async Task<RecordingLease?> GetLeaseAsync(string recordingId, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT recording_id, owner, epoch, expires_at FROM leases WHERE recording_id = @id", [("id", recordingId)],
            r => new RecordingLease(r.GetString(0), r.GetString(1), Int64(r, 2), ParseTime(r.GetString(3))), cancellationToken).ConfigureAwait(false))
            .SingleOrDefault();

    public async Task<IReadOnlyList<string>> ClaimOrphansAsync(DateTimeOffset now, TimeSpan unleasedGrace, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        // Active recordings whose lease expired (or that never got one within the grace), not already
        // claimed for a take-over in the last requestTimeout: claimed here, one statement per recording,
        // so that of several workers looking at once exactly one enqueues the take-over.
        var candidates = await QueryAsync($"""
            SELECT r.id FROM recordings r LEFT JOIN leases l ON l.recording_id = r.id
            WHERE r.state IN ({ActiveStates})
              AND ((l.recording_id IS NULL AND r.joining_at < @grace) OR l.expires_at <= @now)
              AND (l.takeover_requested_at IS NULL OR l.takeover_requested_at < @stale)
            ORDER BY r.start_at, r.id
            """,
            [("grace", Time(now - unleasedGrace)), ("now", Time(now)), ("stale", Time(now - requestTimeout))], r => r.GetString(0), cancellationToken)
            .ConfigureAwait(false);
        var claimed = new List<string>();
        foreach (var id in candidates)
        {
            // A recording that never had a lease gets an expired one (epoch 0) to claim.
            await ExecuteAsync("""
                INSERT INTO leases (recording_id, owner, epoch, expires_at) VALUES (@id, '', 0, @now)
                ON CONFLICT (recording_id) DO NOTHING
                """, [("id", id), ("now", Time(now))], cancellationToken).ConfigureAwait(false);
            if (await ExecuteAsync("""
                UPDATE leases SET takeover_requested_at = @now
                WHERE recording_id = @id AND expires_at <= @now AND (takeover_requested_at IS NULL OR takeover_requested_at < @stale)
                """, [("now", Time(now)), ("id", id), ("stale", Time(now - requestTimeout))], cancellationToken).ConfigureAwait(false) == 1)
                claimed.Add(id);
        }
        return claimed;
    }

    /// <summary>The condition a fenced write adds: the lease still has the writer's epoch.</summary>
    private const string HoldsEpoch = "EXISTS (SELECT 1 FROM leases WHERE leases.recording_id = @id AND leases.epoch = @epoch)";
}
