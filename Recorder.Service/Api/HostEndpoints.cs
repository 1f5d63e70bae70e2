using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Recorder.Service.Auth;
using Recorder.Service.Store;

namespace Recorder.Service.Api;

/// <summary>/hosts and /auditors: the operator registers principals; tokens are shown once and stored only as hashes.</summary>
public static class HostEndpoints
{
    public static void MapHostEndpoints(this IEndpointRouteBuilder app)
    {
        var hosts = app.MapGroup("/hosts").WithTags("hosts").RequireAuthorization(Roles.Operator);
        hosts.MapPost("/", CreateAsync).Accepts<CreateHostRequest>("application/json").Produces<HostCreated>(StatusCodes.Status201Created)
            .ProducesValidationProblem().WithSummary("register a host; its token is in this response only");
        hosts.MapGet("/", async (IRecorderStore store, CancellationToken ct) => TypedResults.Ok((await store.ListHostsAsync(ct)).Select(Views.Of).ToArray()))
            .WithSummary("every host");
        hosts.MapGet("/{id}", async (string id, IRecorderStore store, CancellationToken ct) =>
                await store.GetHostAsync(id, ct) is { } host ? TypedResults.Ok(Views.Of(host)) : Problems.NotFound($"host {id}"))
            .Produces<HostView>().ProducesProblem(StatusCodes.Status404NotFound);
        hosts.MapPatch("/{id}", UpdateAsync).Accepts<UpdateHostRequest>("application/json").Produces<HostUpdated>()
            .WithSummary("change a host's name, recipients (for recordings that start afterwards), display name or webhook");
        hosts.MapPost("/{id}/token", RotateAsync).Produces<TokenIssued>().WithSummary("a new token for the host; the old one stops working");

        app.MapGet("/hosts/me", async (HttpContext context, IRecorderStore store, CancellationToken ct) =>
                await store.GetHostAsync(Caller.From(context.User).PrincipalId, ct) is { } host ? TypedResults.Ok(Views.Of(host)) : Problems.NotFound("host"))
            .WithTags("hosts").RequireAuthorization(Roles.Host).Produces<HostView>().WithSummary("the calling host's registration");

        var auditors = app.MapGroup("/auditors").WithTags("auditors").RequireAuthorization(Roles.Operator);
        auditors.MapPost("/", CreateAuditorAsync).Accepts<CreateAuditorRequest>("application/json").Produces<AuditorCreated>(StatusCodes.Status201Created);
        auditors.MapGet("/", async (IRecorderStore store, CancellationToken ct) => TypedResults.Ok((await store.ListAuditorsAsync(ct)).Select(Views.Of).ToArray()));
        auditors.MapPost("/{id}/token", RotateAsync).Produces<TokenIssued>();
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IRecorderStore store, HostRegistration registration, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateHostRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!HostRegistration.ValidName(body!.Name, out var nameError)) errors["name"] = [nameError];
        var recipients = registration.Recipients(body.Recipients, body.KmsKey, required: true, errors);
        var displayName = registration.DisplayName(body.DisplayName, errors) ?? registration.DefaultDisplayName;
        var webhook = registration.WebhookUrl(body.WebhookUrl, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        var now = clock.GetUtcNow();
        var host = new HostRecord
        {
            Id = HostRegistration.NewHostId(),
            Name = body.Name!,
            Recipients = recipients!,
            DisplayName = displayName,
            WebhookUrl = webhook,
            WebhookSecret = webhook is null ? null : HostRegistration.NewWebhookSecret(),
            CreatedAt = now,
        };
        var (token, record) = ApiTokens.Issue(host.Id, Roles.Host, now);
        await store.AddHostAsync(host, record, cancellationToken);
        return TypedResults.Created($"/hosts/{host.Id}", new HostCreated(host.Id, token, host.WebhookSecret));
    }

    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, IRecorderStore store, HostRegistration registration,
        CancellationToken cancellationToken)
    {
        if (await store.GetHostAsync(id, cancellationToken) is not { } host) return Problems.NotFound($"host {id}");
        var (body, problem) = await JsonBody.ReadAsync<UpdateHostRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body!.Name is not null && !HostRegistration.ValidName(body.Name, out var nameError)) errors["name"] = [nameError];
        var recipients = registration.Recipients(body.Recipients, body.KmsKey, required: false, errors);
        var displayName = registration.DisplayName(body.DisplayName, errors);
        var webhook = registration.WebhookUrl(body.WebhookUrl, errors);
        if (body.RemoveWebhook == true && body.WebhookUrl is not null) errors["removeWebhook"] = ["give webhookUrl or removeWebhook, not both"];
        if (errors.Count > 0) return Problems.Validation(errors);

        string? newSecret = null;
        var updated = host with
        {
            Name = body.Name ?? host.Name,
            Recipients = recipients ?? host.Recipients,
            DisplayName = displayName ?? host.DisplayName,
        };
        if (webhook is not null)
        {
            // A new URL gets a new secret: the old receiver must not be able to forge messages to the new one.
            newSecret = HostRegistration.NewWebhookSecret();
            updated = updated with { WebhookUrl = webhook, WebhookSecret = newSecret };
        }
        else if (body.RemoveWebhook == true)
        {
            updated = updated with { WebhookUrl = null, WebhookSecret = null };
        }
        if (!await store.UpdateHostAsync(updated, cancellationToken)) return Problems.NotFound($"host {id}");
        return TypedResults.Ok(new HostUpdated(Views.Of(updated), newSecret));
    }

    private static async Task<IResult> RotateAsync(string id, HttpContext context, IRecorderStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var role = context.Request.Path.StartsWithSegments("/auditors", StringComparison.Ordinal) ? Roles.Auditor : Roles.Host;
        var (token, record) = ApiTokens.Issue(id, role, clock.GetUtcNow());
        return await store.ReplaceTokenAsync(record, cancellationToken)
            ? TypedResults.Ok(new TokenIssued(id, token))
            : Problems.NotFound($"{role} {id}");
    }

    private static async Task<IResult> CreateAuditorAsync(HttpRequest request, IRecorderStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateAuditorRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        if (!HostRegistration.ValidName(body!.Name, out var nameError)) return Problems.Validation(new Dictionary<string, string[]> { ["name"] = [nameError] });
        var now = clock.GetUtcNow();
        var auditor = new AuditorRecord(HostRegistration.NewAuditorId(), body.Name!, now);
        var (token, record) = ApiTokens.Issue(auditor.Id, Roles.Auditor, now);
        await store.AddAuditorAsync(auditor, record, cancellationToken);
        return TypedResults.Created($"/auditors/{auditor.Id}", new AuditorCreated(auditor.Id, token));
    }
}
