using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Recorder.Service.Api;

/// <summary>
/// Reads a request's JSON body with errors a client can act on: not JSON, a
/// wrong type at a named property, an unknown property, too large, empty —
/// always a 4xx problem, never a 500.
/// </summary>
public static class JsonBody
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 8,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Result(StatusCodes.Status415UnsupportedMediaType, "the body must be JSON", "send Content-Type: application/json"));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken).ConfigureAwait(false);
            return value is null
                ? (null, Problems.Result(StatusCodes.Status400BadRequest, "the body is null: send a JSON object"))
                : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Result(StatusCodes.Status400BadRequest, Describe(e, typeof(T))));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Result(StatusCodes.Status413PayloadTooLarge, "the request body is too large",
                "a request body is a small JSON object (at most Recorder:MaxRequestBodyBytes in the configuration file, 64 KiB by default)"));
        }
    }

    /// <summary>What is wrong, in the request's terms rather than .NET's.</summary>
    internal static string Describe(JsonException e, Type target)
    {
        var at = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
        var message = e.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var known = string.Join(", ", target.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)));
            var name = message.Split('\'') is { Length: >= 3 } parts ? parts[1] : "?";
            return $"unknown property '{name}' (known: {known})";
        }
        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            // The property at the path tells what was expected ("$.meeting" → CreateRecordingRequest.Meeting).
            var name = e.Path?.Split('.', '[').Skip(1).FirstOrDefault();
            var property = name is null ? null : target.GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            var type = property is null ? target : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var expected = type == typeof(string) ? "a string"
                : type == typeof(bool) ? "true or false"
                : typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? "an array of strings"
                : type == target ? "a JSON object"
                : "a number";
            return $"wrong type{at}: expected {expected}";
        }
        if (e.BytePositionInLine is { } position)
            return $"the body is not valid JSON (line {e.LineNumber + 1}, byte {position + 1}{(at.Length > 0 ? "," + at : "")})";
        return $"the body is not valid JSON{at}";
    }
}
