using System.Security.Cryptography;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Logging;
using Recorder.Service.Store;

namespace Recorder.Service.Webhooks;

/// <summary>
/// Queues a webhook message for a host, if it has a webhook: stored first (so
/// a restart delivers it), then handed to a Hangfire job on the "webhooks"
/// queue, which retries with back-off. Never waits for the receiver: a slow
/// or dead receiver cannot hold up a recording.
/// </summary>
public sealed class WebhookPublisher(IRecorderStore store, IBackgroundJobClient jobs, TimeProvider clock, ILogger<WebhookPublisher> logger)
{
    public async Task PublishAsync(string hostId, string type, WebhookData data, CancellationToken cancellationToken)
    {
        var host = await store.GetHostAsync(hostId, cancellationToken).ConfigureAwait(false);
        if (host?.WebhookUrl is null) return;
        var now = clock.GetUtcNow();
        var payload = JsonSerializer.Serialize(new WebhookMessage(type, now, data), WebhookEvents.Json);
        var delivery = new WebhookDelivery("msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), hostId, type, payload, now, null, 0, null);
        await store.AddDeliveryAsync(delivery, cancellationToken).ConfigureAwait(false);
        Enqueue(delivery.Id);
        logger.LogInformation("webhook {Type} for recording {RecordingId} queued as {MessageId}", type, data.RecordingId, delivery.Id);
    }

    public void Enqueue(string deliveryId) => jobs.Enqueue<WebhookJob>(job => job.DeliverAsync(deliveryId, CancellationToken.None));
}
