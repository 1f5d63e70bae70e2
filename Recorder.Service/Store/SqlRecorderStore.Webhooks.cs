namespace Recorder.Service.Store;

public abstract partial class SqlRecorderStore
{
    private const string DeliveryColumns = "SELECT id, host_id, event_type, payload, created_at, delivered_at, attempts, last_error FROM webhook_deliveries";

    public Task AddDeliveryAsync(WebhookDelivery d, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO webhook_deliveries (id, host_id, event_type, payload, created_at) VALUES (@id, @host, @type, @payload, @created)",
            [("id", d.Id), ("host", d.HostId), ("type", d.EventType), ("payload", d.Payload), ("created", Time(d.CreatedAt))], cancellationToken);

    public async Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        (await QueryAsync($"{DeliveryColumns} WHERE id = @id", [("id", deliveryId)], ReadDelivery, cancellationToken).ConfigureAwait(false))
            .SingleOrDefault();

    public Task RecordDeliveryAttemptAsync(string deliveryId, DateTimeOffset? deliveredAt, string? error, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE webhook_deliveries SET attempts = attempts + 1, delivered_at = COALESCE(delivered_at, @delivered), last_error = @error
            WHERE id = @id
            """, [("delivered", Time(deliveredAt)), ("error", error), ("id", deliveryId)], cancellationToken);

    public async Task<IReadOnlyList<WebhookDelivery>> ListUndeliveredAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"{DeliveryColumns} WHERE delivered_at IS NULL ORDER BY created_at, id", [], ReadDelivery, cancellationToken).ConfigureAwait(false);

    private static WebhookDelivery ReadDelivery(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), ParseTime(r.GetString(4)), ParseTimeOrNull(r, 5), (int)Int64(r, 6),
            r.IsDBNull(7) ? null : r.GetString(7));
}
