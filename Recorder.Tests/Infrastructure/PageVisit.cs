using System.Text.Json;

namespace Recorder.Tests.Infrastructure;

/// <summary>What a page showed (title, texts, counts, evaluated values), logged (console, uncaught errors), requested (every request, the page's own included) and opened (alert/confirm/prompt dialogs).</summary>
public sealed record PageVisit(
    string Title,
    IReadOnlyDictionary<string, string?> Text,
    IReadOnlyDictionary<string, int> Count,
    IReadOnlyDictionary<string, JsonElement> Evaluated,
    IReadOnlyList<ConsoleEntry> Console,
    IReadOnlyList<string> PageErrors,
    IReadOnlyList<PageRequest> Requests,
    IReadOnlyList<PageRequest> FailedRequests,
    IReadOnlyList<PageDialog> Dialogs,
    long LoadMs)
{
    /// <summary>Every request but the one for <paramref name="page"/> itself.</summary>
    public IReadOnlyList<PageRequest> RequestsBesides(Uri page) => [.. Requests.Where(r => r.Url != page.AbsoluteUri)];
}

public sealed record ConsoleEntry(string Type, string Text);

/// <summary>A request as the browser sent it: with all its headers and its body (base64; null without one).</summary>
public sealed record PageRequest(string Url, string Method, string ResourceType, IReadOnlyDictionary<string, string>? Headers = null, string? Body = null);

public sealed record PageDialog(string Type, string Message);
