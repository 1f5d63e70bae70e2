using Microsoft.Extensions.Options;

namespace Recorder.Service.Configuration;

/// <summary>Each page origin must be exactly an origin (http or https, a host, an optional port; no path, no wildcard): a browser compares them as strings.</summary>
public sealed class PageOriginsValidation : IValidateOptions<RecorderServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, RecorderServiceOptions options)
    {
        var bad = (options.PageOrigins ?? []).Where(o => !IsOrigin(o)).ToArray();
        return bad.Length == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"RECORDER_PAGE_ORIGINS: {string.Join(", ", bad.Select(b => $"'{b}'"))} is not an origin like https://recordings.example.org or http://127.0.0.1:8081");
    }

    public static bool IsOrigin(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.GetLeftPart(UriPartial.Authority) == text
        && string.IsNullOrEmpty(uri.UserInfo);
}
