using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Hangfire;
using Microsoft.Extensions.Logging;
using Recorder.Service.Api;
using Recorder.Service.Metrics;
using Recorder.Service.Store;

namespace Recorder.Service.Webhooks;

/// <summary>
/// Delivers one webhook message (a Hangfire job on the "webhooks" queue).
/// A failed attempt throws, and Hangfire retries it after the configured
/// delays (<see cref="WebhookRetryFilter"/>); the webhook-id stays the same
/// across attempts so a receiver can drop duplicates. A message delivered
/// once is never sent again.
/// </summary>
[Queue(WebhookJob.Queue)]
public sealed class WebhookJob(IRecorderStore store, IHttpClientFactory http, TargetAllowList allowList, TimeProvider clock, RecorderMetrics metrics,
    ILogger<WebhookJob> logger)
{
    public const string Queue = "webhooks";
    public const string HttpClientName = "webhooks";

    public async Task DeliverAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await store.GetDeliveryAsync(deliveryId, cancellationToken).ConfigureAwait(false);
        if (delivery is null || delivery.DeliveredAt is not null) return;
        var host = await store.GetHostAsync(delivery.HostId, cancellationToken).ConfigureAwait(false);
        if (host?.WebhookUrl is null || host.WebhookSecret is null)
        {
            await store.RecordDeliveryAttemptAsync(deliveryId, null, "the host has no webhook any more", cancellationToken).ConfigureAwait(false);
            return;
        }
        var url = new Uri(host.WebhookUrl);
        if (!allowList.Allows(url))
        {
            await store.RecordDeliveryAttemptAsync(deliveryId, null, "the webhook's host is no longer on the allow-list", cancellationToken).ConfigureAwait(false);
            return;
        }

        var timestamp = clock.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigner.Sign(host.WebhookSecret, delivery.Id, timestamp, delivery.Payload));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("recorder-webhooks", "1"));

        string? error;
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                await store.RecordDeliveryAttemptAsync(deliveryId, clock.GetUtcNow(), null, CancellationToken.None).ConfigureAwait(false);
                metrics.WebhookDelivered(true);
                logger.LogInformation("webhook {MessageId} ({Type}) delivered: {Status}", delivery.Id, delivery.EventType, (int)response.StatusCode);
                return;
            }
            error = $"the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            error = $"could not reach the receiver: {e.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = "the receiver did not answer in time";
        }
        await store.RecordDeliveryAttemptAsync(deliveryId, null, error, CancellationToken.None).ConfigureAwait(false);
        metrics.WebhookDelivered(false);
        logger.LogWarning("webhook {MessageId} ({Type}) not delivered: {Error}", delivery.Id, delivery.EventType, error);
        throw new WebhookDeliveryException($"webhook {delivery.Id} not delivered: {error}");
    }
}

/// <summary>A delivery attempt failed; Hangfire retries the job.</summary>
public sealed class WebhookDeliveryException(string message) : Exception(message);
