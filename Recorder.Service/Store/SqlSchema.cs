namespace Recorder.Service.Store;

public abstract partial class SqlRecorderStore
{
    /// <summary>
    /// Tables of the service's state, in SQL that SQLite and PostgreSQL both take
    /// (times as fixed-width UTC text, so they sort; lists as JSON text).
    /// </summary>
    protected const string Schema = """
        CREATE TABLE IF NOT EXISTS principals (
            id TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            recipients TEXT,
            display_name TEXT,
            webhook_url TEXT,
            webhook_secret TEXT);
        CREATE TABLE IF NOT EXISTS tokens (
            token_id TEXT PRIMARY KEY,
            principal_id TEXT NOT NULL REFERENCES principals(id),
            role TEXT NOT NULL,
            secret_sha256 BYTEA NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS recordings (
            id TEXT PRIMARY KEY,
            host_id TEXT NOT NULL REFERENCES principals(id),
            meeting_uri TEXT NOT NULL,
            meeting_id TEXT NOT NULL,
            layout TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            max_duration_seconds DOUBLE PRECISION NOT NULL,
            start_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL,
            joining_at TEXT,
            recording_at TEXT,
            finalizing_at TEXT,
            ended_at TEXT,
            end_reason TEXT,
            error TEXT,
            manifest_uri TEXT,
            video_frames_dropped BIGINT NOT NULL DEFAULT 0,
            bytes_uploaded BIGINT NOT NULL DEFAULT 0,
            stop_requested_at TEXT,
            recipients TEXT NOT NULL DEFAULT '[]');
        CREATE INDEX IF NOT EXISTS recordings_by_host ON recordings (host_id, created_at, id);
        CREATE INDEX IF NOT EXISTS recordings_by_time ON recordings (created_at, id);
        CREATE INDEX IF NOT EXISTS recordings_by_state ON recordings (state);
        CREATE TABLE IF NOT EXISTS segments (
            recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            uri TEXT NOT NULL,
            bytes BIGINT NOT NULL,
            sha256 TEXT NOT NULL,
            media_start_seconds DOUBLE PRECISION NOT NULL,
            duration_seconds DOUBLE PRECISION NOT NULL,
            end_reason TEXT NOT NULL,
            truncated INTEGER NOT NULL,
            PRIMARY KEY (recording_id, number));
        CREATE TABLE IF NOT EXISTS webhook_deliveries (
            id TEXT PRIMARY KEY,
            host_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL,
            delivered_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT);
        CREATE INDEX IF NOT EXISTS webhook_deliveries_pending ON webhook_deliveries (delivered_at);
        CREATE TABLE IF NOT EXISTS leases (
            recording_id TEXT PRIMARY KEY REFERENCES recordings(id) ON DELETE CASCADE,
            owner TEXT NOT NULL,
            epoch BIGINT NOT NULL,
            expires_at TEXT NOT NULL,
            takeover_requested_at TEXT);
        CREATE TABLE IF NOT EXISTS host_retention (
            host_id TEXT PRIMARY KEY REFERENCES principals(id),
            policy TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS legal_holds (
            recording_id TEXT PRIMARY KEY REFERENCES recordings(id) ON DELETE CASCADE,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        """;
}
