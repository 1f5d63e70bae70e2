namespace Recorder.Tests.Infrastructure;

/// <summary>What to do on a page once loaded, then what to read from it: element texts and counts by CSS selector, JavaScript expressions (run through the DevTools protocol, so a page's CSP does not stop them), print media, a full-page screenshot.</summary>
public sealed record PageProbe
{
    public IReadOnlyList<string> Text { get; init; } = [];
    public IReadOnlyList<string> Count { get; init; } = [];
    public IReadOnlyList<string> Evaluate { get; init; } = [];
    /// <summary><c>print</c> or <c>screen</c>; null leaves the browser's default (screen).</summary>
    public string? Media { get; init; }
    public string? ScreenshotPath { get; init; }
    /// <summary>What to do on the page after its load event, in order, before the probes (localstack/browser/driver.mjs, "steps").</summary>
    public IReadOnlyList<PageStep> Steps { get; init; } = [];
}

/// <summary>One action on a page: fill a field, click, give a file input a file, wait until an expression is true, or evaluate one into <see cref="PageVisit.Evaluated"/>.</summary>
public sealed record PageStep(string Op, string? Selector = null, string? Value = null, string? Expression = null, string? Name = null,
    string? Base64 = null, int? TimeoutMs = null, string? Describe = null)
{
    public static PageStep Fill(string selector, string value) => new("fill", selector, value);
    public static PageStep Click(string selector) => new("click", selector);
    public static PageStep File(string selector, string name, byte[] content) => new("files", selector, Name: name, Base64: Convert.ToBase64String(content));
    /// <param name="describe">An expression whose value a timeout's error shows (what the page was doing instead).</param>
    public static PageStep WaitFor(string expression, TimeSpan? timeout = null, string? describe = null) =>
        new("waitFor", Expression: expression, TimeoutMs: (int)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds, Describe: describe);
    public static PageStep Evaluate(string name, string expression) => new("evaluate", Expression: expression, Name: name);
}
