namespace Recorder.Tests.Infrastructure;

/// <summary>What to read from a page once loaded: element texts and counts by CSS selector, JavaScript expressions (run through the DevTools protocol, so a page's CSP does not stop them), print media, a full-page screenshot.</summary>
public sealed record PageProbe
{
    public IReadOnlyList<string> Text { get; init; } = [];
    public IReadOnlyList<string> Count { get; init; } = [];
    public IReadOnlyList<string> Evaluate { get; init; } = [];
    /// <summary><c>print</c> or <c>screen</c>; null leaves the browser's default (screen).</summary>
    public string? Media { get; init; }
    public string? ScreenshotPath { get; init; }
}
