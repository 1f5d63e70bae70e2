using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace Recorder.Service.Store;

/// <summary>
/// <see cref="IRecorderStore"/> in plain ADO.NET with SQL that SQLite and
/// PostgreSQL both run; subclasses open connections and create the schema.
/// Races are settled by conditional statements (<c>UPDATE … WHERE state IN
/// (…)</c>), never by reading first.
/// </summary>
public abstract partial class SqlRecorderStore : IRecorderStore
{
    protected const string RoleHost = "host";
    protected const string RoleAuditor = "auditor";

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    public abstract Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>How a byte array is passed as a parameter.</summary>
    protected abstract object Blob(byte[] value);

    public async Task PingAsync(CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT 1", [], cancellationToken).ConfigureAwait(false);

    public async Task AddHostAsync(HostRecord host, TokenRecord token, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO principals (id, role, name, created_at, recipients, display_name, webhook_url, webhook_secret)
            VALUES (@id, @role, @name, @created, @recipients, @display, @webhook, @secret)
            """,
            [("id", host.Id), ("role", RoleHost), ("name", host.Name), ("created", Time(host.CreatedAt)), ("recipients", Json(host.Recipients)),
             ("display", host.DisplayName), ("webhook", host.WebhookUrl), ("secret", host.WebhookSecret)], cancellationToken).ConfigureAwait(false);
        await InsertTokenAsync(connection, transaction, token, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<HostRecord?> GetHostAsync(string hostId, CancellationToken cancellationToken) =>
        (await QueryAsync($"{HostColumns} WHERE role = @role AND id = @id", [("role", RoleHost), ("id", hostId)], ReadHost, cancellationToken)
            .ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<HostRecord>> ListHostsAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"{HostColumns} WHERE role = @role ORDER BY created_at, id", [("role", RoleHost)], ReadHost, cancellationToken).ConfigureAwait(false);

    public async Task<bool> UpdateHostAsync(HostRecord host, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
            UPDATE principals SET name = @name, recipients = @recipients, display_name = @display, webhook_url = @webhook, webhook_secret = @secret
            WHERE id = @id AND role = @role
            """,
            [("id", host.Id), ("role", RoleHost), ("name", host.Name), ("recipients", Json(host.Recipients)), ("display", host.DisplayName),
             ("webhook", host.WebhookUrl), ("secret", host.WebhookSecret)], cancellationToken).ConfigureAwait(false) == 1;

    public async Task AddAuditorAsync(AuditorRecord auditor, TokenRecord token, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "INSERT INTO principals (id, role, name, created_at) VALUES (@id, @role, @name, @created)",
            [("id", auditor.Id), ("role", RoleAuditor), ("name", auditor.Name), ("created", Time(auditor.CreatedAt))], cancellationToken).ConfigureAwait(false);
        await InsertTokenAsync(connection, transaction, token, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditorRecord>> ListAuditorsAsync(CancellationToken cancellationToken) =>
        await QueryAsync("SELECT id, name, created_at FROM principals WHERE role = @role ORDER BY created_at, id", [("role", RoleAuditor)],
            r => new AuditorRecord(r.GetString(0), r.GetString(1), ParseTime(r.GetString(2))), cancellationToken).ConfigureAwait(false);

    public async Task<bool> ReplaceTokenAsync(TokenRecord token, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var exists = await ExecuteAsync(connection, transaction, "UPDATE principals SET name = name WHERE id = @id AND role = @role",
            [("id", token.PrincipalId), ("role", token.Role)], cancellationToken).ConfigureAwait(false) == 1;
        if (!exists) return false;
        await ExecuteAsync(connection, transaction, "DELETE FROM tokens WHERE principal_id = @id", [("id", token.PrincipalId)], cancellationToken)
            .ConfigureAwait(false);
        await InsertTokenAsync(connection, transaction, token, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<TokenRecord?> FindTokenAsync(string tokenId, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT token_id, principal_id, role, secret_sha256, created_at FROM tokens WHERE token_id = @id", [("id", tokenId)],
            r => new TokenRecord(r.GetString(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3), ParseTime(r.GetString(4))), cancellationToken)
            .ConfigureAwait(false)).SingleOrDefault();

    private Task<int> InsertTokenAsync(DbConnection connection, DbTransaction transaction, TokenRecord token, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, """
            INSERT INTO tokens (token_id, principal_id, role, secret_sha256, created_at) VALUES (@id, @principal, @role, @hash, @created)
            """,
            [("id", token.TokenId), ("principal", token.PrincipalId), ("role", token.Role), ("hash", Blob(token.SecretSha256)), ("created", Time(token.CreatedAt))],
            cancellationToken);

    private const string HostColumns =
        "SELECT id, name, created_at, recipients, display_name, webhook_url, webhook_secret, host_retention.policy FROM principals LEFT JOIN host_retention ON host_retention.host_id = principals.id";

    private static HostRecord ReadHost(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        CreatedAt = ParseTime(r.GetString(2)),
        Recipients = ParseList(r.IsDBNull(3) ? null : r.GetString(3)),
        DisplayName = r.IsDBNull(4) ? "" : r.GetString(4),
        WebhookUrl = r.IsDBNull(5) ? null : r.GetString(5),
        WebhookSecret = r.IsDBNull(6) ? null : r.GetString(6),
        Retention = r.IsDBNull(7) ? null : r.GetString(7),
    };

    public async Task SetHostRetentionAsync(string hostId, string policy, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
            INSERT INTO host_retention (host_id, policy, updated_at) VALUES (@id, @policy, @at)
            ON CONFLICT (host_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at
            """, [("id", hostId), ("policy", policy), ("at", Time(at))], cancellationToken).ConfigureAwait(false);

    public async Task SetLegalHoldAsync(string recordingId, bool on, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
            INSERT INTO legal_holds (recording_id, state, updated_at) VALUES (@id, @state, @at)
            ON CONFLICT (recording_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
            """, [("id", recordingId), ("state", on ? "on" : "off"), ("at", Time(at))], cancellationToken).ConfigureAwait(false);

    public async Task<bool> GetLegalHoldAsync(string recordingId, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT state FROM legal_holds WHERE recording_id = @id", [("id", recordingId)], cancellationToken).ConfigureAwait(false) is "on";

    // Times: fixed-width UTC text sorts like the instant it names, in both databases.
    protected static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    protected static string? Time(DateTimeOffset? value) => value is { } v ? Time(v) : null;

    protected static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    protected static DateTimeOffset? ParseTimeOrNull(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : ParseTime(r.GetString(ordinal));

    protected static string Json(IReadOnlyList<string> values) => JsonSerializer.Serialize(values, StoreJson.Default.IReadOnlyListString);

    protected static IReadOnlyList<string> ParseList(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, StoreJson.Default.IReadOnlyListString) ?? [];
}
