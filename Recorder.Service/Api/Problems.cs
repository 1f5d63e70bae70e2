using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Recorder.Service.Api;

/// <summary>
/// Errors as RFC 9457 problem details: a title from the status, a detail that
/// says what is wrong and, where one helps, a "hint" that says what to do.
/// </summary>
public static class Problems
{
    public static IResult Result(int status, string detail, string? hint = null) =>
        TypedResults.Problem(Details(status, detail, hint));

    public static IResult NotFound(string what) => Result(StatusCodes.Status404NotFound, $"no {what}");

    /// <summary>409, with a machine-readable <c>code</c> and the recording's id, so a client can word its own hint (the CLI names its verbs).</summary>
    public static IResult Conflict(string detail, string? hint, string code, string recordingId)
    {
        var problem = Details(StatusCodes.Status409Conflict, detail, hint);
        problem.Extensions["code"] = code;
        problem.Extensions["recordingId"] = recordingId;
        return TypedResults.Problem(problem);
    }

    /// <summary>400 with one message per field, e.g. {"start": ["… is in the past"]}.</summary>
    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))),
            title: "the request is not valid");

    public static ProblemDetails Details(int status, string detail, string? hint)
    {
        var problem = new ProblemDetails { Status = status, Detail = detail };
        if (hint is not null) problem.Extensions["hint"] = hint;
        return problem;
    }

    /// <summary>
    /// A detail for the statuses the framework answers by itself (no route, wrong
    /// method, a body that is not JSON where the endpoint accepts only JSON).
    /// </summary>
    public static void DescribeFrameworkStatus(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null) return;
        var request = context.HttpContext.Request;
        (context.ProblemDetails.Detail, var hint) = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => ($"no such endpoint: {request.Method} {request.Path}", "the API is described at /openapi/v1.json"),
            StatusCodes.Status405MethodNotAllowed => ($"{request.Method} is not allowed on {request.Path}", "the API is described at /openapi/v1.json"),
            StatusCodes.Status415UnsupportedMediaType => ("the body must be JSON", "send Content-Type: application/json"),
            _ => (null, null),
        };
        if (hint is not null) context.ProblemDetails.Extensions["hint"] = hint;
    }

    /// <summary>For middleware that writes a response itself (authentication, the rate limiter).</summary>
    public static async Task WriteAsync(HttpContext context, int status, string detail, string? hint)
    {
        context.Response.StatusCode = status;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = Details(status, detail, hint) }).ConfigureAwait(false);
    }
}
