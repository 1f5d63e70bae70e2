using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Recorder.Pipeline.Audit.Log;
using Recorder.Service.Audit;
using Recorder.Service.Auth;
using Recorder.Service.Store;
using Recorder.Storage;

namespace Recorder.Service.Api;

/// <summary>
/// Retention and legal hold, the operator's (a host cannot release a hold on its own recordings): a host's Object
/// Lock retention for the objects its recordings store from now on, and a legal hold on every stored object of a
/// recording. Each change is an audit event.
/// </summary>
public static class ComplianceEndpoints
{
    public static void MapComplianceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/hosts/{id}/retention", SetRetentionAsync).WithTags("hosts").RequireAuthorization(Roles.Operator)
            .Accepts<RetentionRequest>("application/json").Produces<HostView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Object Lock retention for the host's objects stored from now on: governance:DAYS or compliance:DAYS");
        app.MapPut("/recordings/{id}/legal-hold", SetLegalHoldAsync).WithTags("recordings").RequireAuthorization(Roles.Operator)
            .Accepts<LegalHoldRequest>("application/json").Produces<LegalHoldView>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("set or release a legal hold on every stored object of a recording (the bucket needs Object Lock)");
    }

    private static async Task<IResult> SetRetentionAsync(string id, HttpRequest request, IRecorderStore store, AuditTrail audit, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<RetentionRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        (Amazon.S3.ObjectLockMode Mode, int Days) policy;
        try
        {
            policy = ObjectRetention.ParsePolicy(body!.Policy ?? "");
        }
        catch (FormatException e)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["policy"] = [e.Message] });
        }
        if (await store.GetHostAsync(id, cancellationToken) is null) return Problems.NotFound($"host {id}");
        var text = $"{policy.Mode.Value.ToLowerInvariant()}:{policy.Days}";
        var now = clock.GetUtcNow();
        await store.SetHostRetentionAsync(id, text, now, cancellationToken);
        if (await LoggedAsync(audit, new AuditEvent { Type = AuditEventTypes.RetentionSet, Time = now, HostId = id, Detail = policy.Mode.Value, Days = policy.Days })
            is { } unavailable)
            return unavailable;
        return TypedResults.Ok(Views.Of((await store.GetHostAsync(id, cancellationToken))!));
    }

    private static async Task<IResult> SetLegalHoldAsync(string id, HttpRequest request, IRecorderStore store, AuditTrail audit, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<LegalHoldRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        if (await store.GetRecordingAsync(id, cancellationToken) is not { } recording) return Problems.NotFound($"recording {id}");
        if (recording.ManifestUri is not { } manifest || !manifest.StartsWith("s3://", StringComparison.Ordinal))
            return Problems.Result(StatusCodes.Status409Conflict, $"recording {id} has stored nothing yet", "a legal hold applies to stored objects: set it once the recording has started");
        var rest = manifest["s3://".Length..];
        var bucket = rest[..rest.IndexOf('/')];
        var folder = rest[(bucket.Length + 1)..(rest.LastIndexOf('/') + 1)];
        var held = new List<string>();
        try
        {
            await foreach (var o in audit.Store.ListObjectsAsync(bucket, folder, 1000, cancellationToken))
            {
                if (o.Key.Contains(".tail/", StringComparison.Ordinal)) continue; // pieces of an upload in progress, removed once it is complete
                await audit.Store.SetLegalHoldAsync(bucket, o.Key, body!.On, cancellationToken);
                held.Add($"s3://{bucket}/{o.Key}");
            }
        }
        catch (StorageException e) when (e.ErrorCode is "InvalidRequest" or "InvalidBucketState")
        {
            return Problems.Result(StatusCodes.Status409Conflict, $"the bucket {bucket} has no Object Lock: {e.Message}",
                "legal holds need a bucket created with Object Lock (docs/audit.md, \"Retention and legal hold\")");
        }
        var now = clock.GetUtcNow();
        await store.SetLegalHoldAsync(id, body!.On, now, cancellationToken);
        if (await LoggedAsync(audit, new AuditEvent
            {
                Type = body.On ? AuditEventTypes.LegalHoldSet : AuditEventTypes.LegalHoldReleased,
                Time = now,
                HostId = recording.HostId,
                RecordingId = id,
                Detail = $"{held.Count} objects",
            }) is { } unavailable)
            return unavailable;
        return TypedResults.Ok(new LegalHoldView(id, body.On, held));
    }

    /// <summary>Stores the action's audit event before answering; null when stored, else a 503 saying the action took effect but is not logged.</summary>
    private static async Task<IResult?> LoggedAsync(AuditTrail audit, AuditEvent e)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await audit.RecordNowAsync(e, timeout.Token);
            return null;
        }
        catch (Exception ex) when (ex is AuditLogUnavailableException or OperationCanceledException)
        {
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, $"the change took effect, but its audit event ({e.Type}) could not be stored: {ex.Message}",
                "repeat the same request once S3 answers again: it is idempotent and logs the event then");
        }
    }
}

public sealed record RetentionRequest(string? Policy);

public sealed record LegalHoldRequest(bool On);

/// <summary>The recording, whether it is now held, and the objects the hold was set on or released from.</summary>
public sealed record LegalHoldView(string RecordingId, bool LegalHold, IReadOnlyList<string> Objects);
