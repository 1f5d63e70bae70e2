using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Recorder.Pipeline.Output;
using Recorder.Service.Auth;
using Recorder.Service.Jobs;
using Recorder.Service.Store;

namespace Recorder.Service.Api;

/// <summary>
/// /recordings: hosts start, schedule, follow, stop and cancel their own
/// recordings; operators and auditors see every host's. Another host's
/// recording answers 404, exactly like one that does not exist.
/// </summary>
public static class RecordingEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static void MapRecordingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/recordings").WithTags("recordings").RequireAuthorization(Roles.Readers);
        group.MapPost("/", CreateAsync).RequireAuthorization(Roles.Writers)
            .Accepts<CreateRecordingRequest>("application/json")
            .Produces<RecordingCreated>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("start a recording now, or schedule it");
        group.MapGet("/", ListAsync).Produces<RecordingList>().ProducesValidationProblem()
            .WithSummary("the caller's recordings (every host's for operators and auditors), newest first");
        group.MapGet("/{id}", GetAsync).Produces<RecordingView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("a recording's state, the time of each state, segments, manifest, dropped frames, error");
        group.MapPost("/{id}/stop", StopAsync).RequireAuthorization(Roles.Writers)
            .Produces<RecordingView>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("finish the current segment and end the recording");
        group.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Roles.Writers)
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("cancel a recording that has not started");
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IRecorderStore store, RecordingRequestValidator validator,
        RecordingScheduler scheduler, TimeProvider clock, Recorder.Service.Audit.AuditTrail audit, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateRecordingRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var caller = Caller.From(request.HttpContext.User);
        var (valid, errors) = validator.Validate(body!, caller);
        if (valid is null) return Problems.Validation(errors);
        if (await store.GetHostAsync(valid.HostId, cancellationToken) is null)
            return Problems.Validation(new Dictionary<string, string[]> { ["host"] = [$"no host {valid.HostId}"] });

        var recording = new RecordingRecord
        {
            Id = RecordingLocation.NewRecordingId(),
            HostId = valid.HostId,
            MeetingUri = valid.MeetingUri,
            MeetingId = valid.MeetingId,
            Layout = valid.Layout,
            Width = valid.Width,
            Height = valid.Height,
            MaxDurationSeconds = valid.MaxDuration.TotalSeconds,
            StartAt = valid.StartAt,
            CreatedAt = clock.GetUtcNow(),
            State = RecordingState.Scheduled,
        };
        await store.AddRecordingAsync(recording, cancellationToken);
        scheduler.Schedule(recording.Id, recording.StartAt);
        await audit.RecordAsync(new Recorder.Pipeline.Audit.Log.AuditEvent
        {
            Type = Recorder.Pipeline.Audit.Log.AuditEventTypes.RecordingScheduled,
            Time = recording.CreatedAt,
            HostId = recording.HostId,
            RecordingId = recording.Id,
            Detail = recording.StartAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }, CancellationToken.None);
        return TypedResults.Created($"/recordings/{recording.Id}", new RecordingCreated(recording.Id, recording.State.Name(), recording.StartAt));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IRecorderStore store, CancellationToken cancellationToken) =>
        await RecordingAccess.VisibleAsync(id, context, store, cancellationToken) is { } recording ? TypedResults.Ok(Views.Of(recording)) : Problems.NotFound($"recording {id}");

    private static async Task<IResult> ListAsync(HttpContext context, IRecorderStore store, string? state, string? limit, string? after, string? host,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(context.User);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        RecordingState? wanted = null;
        if (state is not null)
        {
            if (RecordingStates.TryParse(state, out var parsed)) wanted = parsed;
            else errors["state"] = [$"'{state}' is not a state: {string.Join(", ", RecordingStates.Names)}"];
        }
        var pageSize = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
            errors["limit"] = [string.Create(CultureInfo.InvariantCulture, $"a whole number from 1 to {MaxPageSize}")];
        if (host is not null && caller.IsHost && host != caller.PrincipalId) errors["host"] = ["a host lists only its own recordings; leave host out"];
        RecordingCursor? cursor = null;
        if (after is not null && !RecordingCursor.TryDecode(after, out cursor))
            errors["after"] = ["not a cursor of this listing: pass the 'next' value of the previous page"];
        if (errors.Count > 0) return Problems.Validation(errors);

        var page = await store.ListRecordingsAsync(new RecordingQuery(caller.OwnHostId ?? host, wanted, pageSize, cursor), cancellationToken);
        return TypedResults.Ok(new RecordingList(page.Items.Select(Views.Of).ToArray(), page.Next?.Encode()));
    }

    private static async Task<IResult> StopAsync(string id, HttpContext context, IRecorderStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await RecordingAccess.VisibleAsync(id, context, store, cancellationToken) is not { } recording) return Problems.NotFound($"recording {id}");
        if (recording.State == RecordingState.Scheduled)
            return Problems.Conflict($"recording {id} has not started", $"DELETE /recordings/{id} cancels it", ConflictCodes.NotStarted, id);
        if (recording.State.IsTerminal()) return Problems.Conflict($"recording {id} has already {recording.State.Name()}", null, ConflictCodes.Ended, id);
        if (!await store.RequestStopAsync(id, clock.GetUtcNow(), cancellationToken))
            return Problems.Conflict($"recording {id} ended while the stop was being requested", null, ConflictCodes.Ended, id);
        return TypedResults.Accepted($"/recordings/{id}", Views.Of((await store.GetRecordingAsync(id, cancellationToken))!));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, IRecorderStore store, CancellationToken cancellationToken)
    {
        if (await RecordingAccess.VisibleAsync(id, context, store, cancellationToken) is not { } recording) return Problems.NotFound($"recording {id}");
        if (recording.State != RecordingState.Scheduled || !await store.DeleteScheduledAsync(id, cancellationToken))
            return Problems.Conflict($"recording {id} has started and cannot be cancelled",
                $"POST /recordings/{id}/stop ends it; what it recorded stays in storage", ConflictCodes.Started, id);
        return TypedResults.NoContent();
    }

    /// <summary>The "code" of a 409: why the recording is in the wrong state for the request.</summary>
    public static class ConflictCodes
    {
        public const string NotStarted = "recording-not-started";
        public const string Started = "recording-started";
        public const string Ended = "recording-ended";
    }
}
