using System.Net;
using System.Text.Json;

namespace Recorder.Cli.Api;

/// <summary>
/// An error answer of the service as the CLI reports it: the problem's detail
/// as the error and its hint as the hint; a validation problem as one error
/// line per field, named by the verb's flag (--at, not "start"); 401 and 403
/// with a hint about the token, which the service cannot give (it does not know
/// where the CLI found it).
/// </summary>
internal static class ServiceProblems
{
    public static async Task<CliException> ToExceptionAsync(HttpResponseMessage answer, ServiceEndpoint endpoint,
        IReadOnlyDictionary<string, string>? fields, CancellationToken cancellationToken)
    {
        var problem = await ReadAsync(answer, cancellationToken).ConfigureAwait(false);
        var status = (int)answer.StatusCode;
        var detail = problem?.Detail ?? problem?.Title ?? $"the service answered {status} {answer.ReasonPhrase}".TrimEnd();
        var hint = CliHint(problem) ?? problem?.Hint;
        switch (answer.StatusCode)
        {
            case HttpStatusCode.BadRequest when problem?.Errors?.SelectMany(e => e.Value.Select(m => $"{FieldName(e.Key, fields)}: {m}")).ToArray()
                is [var first, .. var more]:
                return new CliException(first, hint) { MoreMessages = more };
            case HttpStatusCode.Unauthorized:
                return new CliException(detail, $"check the token from {endpoint.TokenSource}" + (hint is null ? "" : $"; {hint}"));
            case HttpStatusCode.Forbidden:
                return new CliException(detail, hint ?? $"the token from {endpoint.TokenSource} has another role: hosts and auditors take the "
                    + "operator's token; a host's token schedules, stops and cancels its own recordings; an auditor's only reads");
            default:
                return new CliException(detail, hint);
        }
    }

    /// <summary>The service words its 409 hints in HTTP terms; a CLI user is told the verb instead.</summary>
    private static string? CliHint(ProblemDetails? problem) => (problem?.Code, problem?.RecordingId) switch
    {
        ("recording-not-started", { } id) => $"'recorder cancel {id}' cancels it",
        ("recording-started", { } id) => $"'recorder stop {id}' ends it; what it recorded stays in storage",
        _ => null,
    };

    /// <summary>The flag a field came from, or the field's own name when the verb has no flag for it.</summary>
    private static string FieldName(string field, IReadOnlyDictionary<string, string>? fields) =>
        fields is not null && fields.TryGetValue(field, out var flag) ? flag : field;

    /// <summary>The problem document, or null when the body is not one (a proxy's HTML page, an empty 502).</summary>
    private static async Task<ProblemDetails?> ReadAsync(HttpResponseMessage answer, CancellationToken cancellationToken)
    {
        var type = answer.Content.Headers.ContentType?.MediaType;
        if (type is not ("application/problem+json" or "application/json")) return null;
        try
        {
            var stream = await answer.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(stream, ApiJson.Default.ProblemDetails, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
