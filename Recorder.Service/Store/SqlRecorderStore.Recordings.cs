using System.Data.Common;

namespace Recorder.Service.Store;

public abstract partial class SqlRecorderStore
{
    private const string RecordingColumns = """
        SELECT id, host_id, meeting_uri, meeting_id, layout, width, height, max_duration_seconds, start_at, created_at, state,
               joining_at, recording_at, finalizing_at, ended_at, end_reason, error, manifest_uri, video_frames_dropped, bytes_uploaded,
               stop_requested_at, recipients
        FROM recordings
        """;

    public Task AddRecordingAsync(RecordingRecord r, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO recordings (id, host_id, meeting_uri, meeting_id, layout, width, height, max_duration_seconds, start_at, created_at, state, recipients)
            VALUES (@id, @host, @uri, @meeting, @layout, @width, @height, @max, @start, @created, @state, @recipients)
            """,
            [("id", r.Id), ("host", r.HostId), ("uri", r.MeetingUri), ("meeting", r.MeetingId), ("layout", r.Layout), ("width", r.Width),
             ("height", r.Height), ("max", r.MaxDurationSeconds), ("start", Time(r.StartAt)), ("created", Time(r.CreatedAt)),
             ("state", r.State.Name()), ("recipients", Json(r.Recipients))], cancellationToken);

    public async Task<RecordingRecord?> GetRecordingAsync(string recordingId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var recording = (await QueryAsync(connection, $"{RecordingColumns} WHERE id = @id", [("id", recordingId)], ReadRecording, cancellationToken)
            .ConfigureAwait(false)).SingleOrDefault();
        if (recording is null) return null;
        var segments = await QueryAsync(connection, """
            SELECT number, uri, bytes, sha256, media_start_seconds, duration_seconds, end_reason, truncated
            FROM segments WHERE recording_id = @id ORDER BY number
            """, [("id", recordingId)],
            r => new SegmentRecord((int)Int64(r, 0), r.GetString(1), Int64(r, 2), r.GetString(3), r.GetDouble(4), r.GetDouble(5), r.GetString(6), Int64(r, 7) != 0),
            cancellationToken).ConfigureAwait(false);
        return recording with { Segments = segments };
    }

    public async Task<RecordingPage> ListRecordingsAsync(RecordingQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("limit", query.Limit + 1) };
        if (query.HostId is not null)
        {
            where.Add("host_id = @host");
            parameters.Add(("host", query.HostId));
        }
        if (query.State is { } state)
        {
            where.Add("state = @state");
            parameters.Add(("state", state.Name()));
        }
        if (query.After is { } after)
        {
            // Keyset paging, newest first: rows strictly before the cursor's position.
            where.Add("(created_at < @after_at OR (created_at = @after_at AND id < @after_id))");
            parameters.Add(("after_at", Time(after.CreatedAt)));
            parameters.Add(("after_id", after.Id));
        }
        var sql = $"{RecordingColumns} {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY created_at DESC, id DESC LIMIT @limit";
        var rows = await QueryAsync(sql, parameters, ReadRecording, cancellationToken).ConfigureAwait(false);
        var more = rows.Count > query.Limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new RecordingPage(rows, more ? new RecordingCursor(rows[^1].CreatedAt, rows[^1].Id) : null);
    }

    public async Task<IReadOnlyList<RecordingRecord>> ListRecordingsInStatesAsync(IReadOnlyList<RecordingState> states, CancellationToken cancellationToken)
    {
        var names = states.Select((s, i) => ($"s{i}", (object?)s.Name())).ToList();
        return await QueryAsync($"{RecordingColumns} WHERE state IN ({string.Join(", ", names.Select(n => "@" + n.Item1))}) ORDER BY start_at, id",
            names, ReadRecording, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> CountRecordingsInStateAsync(RecordingState state, CancellationToken cancellationToken) =>
        (int)Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM recordings WHERE state = @state", [("state", state.Name())], cancellationToken)
            .ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);

    public async Task<bool> TryStartAsync(string recordingId, IReadOnlyList<string> recipients, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE recordings SET state = @joining, joining_at = @at, recipients = @recipients WHERE id = @id AND state = @scheduled",
            [("joining", RecordingState.Joining.Name()), ("at", Time(at)), ("recipients", Json(recipients)), ("id", recordingId),
             ("scheduled", RecordingState.Scheduled.Name())], cancellationToken).ConfigureAwait(false) == 1;

    public async Task<bool> SetStateAsync(string recordingId, RecordingState state, DateTimeOffset at, string? endReason, string? error,
        CancellationToken cancellationToken, long? epoch = null)
    {
        // Only forward, and never out of completed/failed: a late event of a finished recording changes nothing.
        var earlier = Enum.GetValues<RecordingState>().Where(s => s < state && !s.IsTerminal()).Select((s, i) => ($"from{i}", (object?)s.Name())).ToList();
        if (earlier.Count == 0) return false;
        var column = state switch
        {
            RecordingState.Joining => "joining_at",
            RecordingState.Recording => "recording_at",
            RecordingState.Finalizing => "finalizing_at",
            RecordingState.Completed or RecordingState.Failed => "ended_at",
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, "a recording is created scheduled"),
        };
        List<(string, object?)> parameters = [("state", state.Name()), ("at", Time(at)), ("reason", endReason), ("error", error), ("id", recordingId),
            ("epoch", epoch), .. earlier];
        return await ExecuteAsync($"""
            UPDATE recordings SET state = @state, {column} = @at,
                end_reason = COALESCE(@reason, end_reason), error = COALESCE(@error, error)
            WHERE id = @id AND state IN ({string.Join(", ", earlier.Select(e => "@" + e.Item1))}){(epoch is null ? "" : " AND " + HoldsEpoch)}
            """, parameters, cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task SetManifestAsync(string recordingId, string manifestUri, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE recordings SET manifest_uri = @uri WHERE id = @id", [("uri", manifestUri), ("id", recordingId)], cancellationToken);

    public Task SetProgressAsync(string recordingId, long videoFramesDropped, long bytesUploaded, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE recordings SET video_frames_dropped = @dropped, bytes_uploaded = @bytes WHERE id = @id",
            [("dropped", videoFramesDropped), ("bytes", bytesUploaded), ("id", recordingId)], cancellationToken);

    public async Task<bool> AddSegmentAsync(string recordingId, SegmentRecord s, CancellationToken cancellationToken, long? epoch = null) =>
        // A segment a take-over recovered is reported again by the worker that recovered it: the later report wins.
        await ExecuteAsync($"""
            INSERT INTO segments (recording_id, number, uri, bytes, sha256, media_start_seconds, duration_seconds, end_reason, truncated)
            SELECT @id, @number, @uri, @bytes, @sha, @start, @duration, @reason, @truncated WHERE {(epoch is null ? "1 = 1" : HoldsEpoch)}
            ON CONFLICT (recording_id, number) DO UPDATE SET uri = excluded.uri, bytes = excluded.bytes, sha256 = excluded.sha256,
                media_start_seconds = excluded.media_start_seconds, duration_seconds = excluded.duration_seconds,
                end_reason = excluded.end_reason, truncated = excluded.truncated
            """,
            [("id", recordingId), ("number", s.Number), ("uri", s.Uri), ("bytes", s.Bytes), ("sha", s.Sha256), ("start", s.MediaStartSeconds),
             ("duration", s.DurationSeconds), ("reason", s.EndReason), ("truncated", s.Truncated ? 1 : 0), ("epoch", epoch)], cancellationToken)
            .ConfigureAwait(false) == 1;

    public async Task<bool> RequestStopAsync(string recordingId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
            UPDATE recordings SET stop_requested_at = COALESCE(stop_requested_at, @at)
            WHERE id = @id AND state IN (@joining, @recording, @finalizing)
            """,
            [("at", Time(at)), ("id", recordingId), ("joining", RecordingState.Joining.Name()), ("recording", RecordingState.Recording.Name()),
             ("finalizing", RecordingState.Finalizing.Name())], cancellationToken).ConfigureAwait(false) == 1;

    public async Task<bool> IsStopRequestedAsync(string recordingId, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT stop_requested_at FROM recordings WHERE id = @id", [("id", recordingId)], cancellationToken)
            .ConfigureAwait(false) is string;

    public async Task<bool> DeleteScheduledAsync(string recordingId, CancellationToken cancellationToken) =>
        await ExecuteAsync("DELETE FROM recordings WHERE id = @id AND state = @scheduled",
            [("id", recordingId), ("scheduled", RecordingState.Scheduled.Name())], cancellationToken).ConfigureAwait(false) == 1;

    private static RecordingRecord ReadRecording(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        HostId = r.GetString(1),
        MeetingUri = r.GetString(2),
        MeetingId = r.GetString(3),
        Layout = r.GetString(4),
        Width = (int)Int64(r, 5),
        Height = (int)Int64(r, 6),
        MaxDurationSeconds = r.GetDouble(7),
        StartAt = ParseTime(r.GetString(8)),
        CreatedAt = ParseTime(r.GetString(9)),
        State = RecordingStates.Parse(r.GetString(10)),
        JoiningAt = ParseTimeOrNull(r, 11),
        RecordingAt = ParseTimeOrNull(r, 12),
        FinalizingAt = ParseTimeOrNull(r, 13),
        EndedAt = ParseTimeOrNull(r, 14),
        EndReason = r.IsDBNull(15) ? null : r.GetString(15),
        Error = r.IsDBNull(16) ? null : r.GetString(16),
        ManifestUri = r.IsDBNull(17) ? null : r.GetString(17),
        VideoFramesDropped = Int64(r, 18),
        BytesUploaded = Int64(r, 19),
        StopRequestedAt = ParseTimeOrNull(r, 20),
        Recipients = ParseList(r.IsDBNull(21) ? null : r.GetString(21)),
    };
}
