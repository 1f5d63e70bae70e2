using System.Text.Json;
using Recorder.Pipeline.Audit;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Audit;

/// <summary>
/// The HTML audit report opened from a file:// URL in Debian's headless Chromium (<see cref="HeadlessChromium"/>: the
/// committed node script localstack/browser/driver.mjs with npm playwright-core, installed by scripts/test.sh with
/// <c>npm ci</c> from its package-lock.json, and the browser by <c>localstack/install.sh chromium</c>; one browser for
/// the class). It renders, logs nothing, requests nothing but itself, and a hostile key's handler never runs. The
/// first test shows the driver does see requests, console errors, uncaught errors and dialogs, so "none" means none.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AuditReportHtmlBrowserTests(HeadlessChromium chromium, ITestOutputHelper log) : IClassFixture<HeadlessChromium>, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("recorder-report-");

    [Fact]
    public async Task The_driver_sees_what_a_careless_page_requests_logs_throws_and_alerts()
    {
        var page = new Uri(Path.Combine(_folder.FullName, "careless.html"));
        await File.WriteAllTextAsync(page.LocalPath, """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>careless</title></head><body>
            <p id="p">hello</p><img src="x.png" onerror="alert('fired')">
            <script>console.error('boom'); throw new Error('thrown');</script></body></html>
            """);

        var visit = await chromium.OpenAsync(page, new PageProbe { Text = ["#p"], Count = ["img"] });

        Assert.Equal("careless", visit.Title);
        Assert.Equal("hello", visit.Text["#p"]);
        Assert.Equal(1, visit.Count["img"]);
        Assert.Contains(visit.Requests, r => r.Url == page.AbsoluteUri && r.ResourceType == "document");
        Assert.Equal(new Uri(page, "x.png").AbsoluteUri, Assert.Single(visit.RequestsBesides(page)).Url);
        Assert.Contains(visit.Console, c => c is { Type: "error", Text: "boom" });
        Assert.Contains(visit.PageErrors, e => e.Contains("thrown", StringComparison.Ordinal));
        Assert.Equal(new PageDialog("alert", "fired"), Assert.Single(visit.Dialogs));
    }

    [Fact]
    public async Task A_hostile_report_renders_with_no_console_message_no_request_and_no_handler_fired()
    {
        var report = AuditReportSamples.Hostile();
        var page = await WriteAsync("hostile.html", report);

        var visit = await chromium.OpenAsync(page, new PageProbe
        {
            Text = ["#verdict", "#summary", "#count-violations", "#settings-fail"],
            Count = ["img", "script", "iframe", "object", "embed", "link", "b", "section.finding-class tbody tr"],
            Evaluate =
            [
                "document.body.innerText.includes('<script>alert(1)</script>')",
                "document.body.innerText.includes('\"><img src=x onerror=alert(1)>')",
                "getComputedStyle(document.getElementById('verdict')).fontSize",
            ],
        });
        log.WriteLine($"Chromium {chromium.Version} started in {chromium.StartedIn.TotalMilliseconds:F0} ms; the page loaded in {visit.LoadMs} ms");

        Assert.Equal("Recorder audit of s3://meetings/recordings/: VIOLATIONS (2026-03-14 09:28:16Z)", visit.Title);
        Assert.Equal("VIOLATIONS", visit.Text["#verdict"]);
        Assert.Contains("3 violations in 2 classes; 1 bucket setting failed.", visit.Text["#summary"]);
        Assert.Equal(("3", "1"), (visit.Text["#count-violations"], visit.Text["#settings-fail"]));
        NothingHappened(page, visit);
        Assert.All(new[] { "img", "script", "iframe", "object", "embed", "link", "b" }, element => Assert.Equal(0, visit.Count[element]));
        Assert.Equal(report.Findings.Count, visit.Count["section.finding-class tbody tr"]);
        // The keys are shown as the text they are...
        Assert.True(visit.Evaluated["document.body.innerText.includes('<script>alert(1)</script>')"].GetBoolean());
        Assert.True(visit.Evaluated["document.body.innerText.includes('\"><img src=x onerror=alert(1)>')"].GetBoolean());
        // ...and the stylesheet applied: its hash is the one the policy allows.
        Assert.Equal("51.2px", visit.Evaluated["getComputedStyle(document.getElementById('verdict')).fontSize"].GetString());
    }

    [Fact]
    public async Task A_clean_report_holds_on_screen_and_prints_without_a_dark_background()
    {
        var page = await WriteAsync("clean.html", AuditReportSamples.Clean());
        const string darkBackgrounds = """
            [...document.querySelectorAll('*')].filter(e => {
              const m = getComputedStyle(e).backgroundColor.match(/[\d.]+/g).map(Number);
              const alpha = m.length > 3 ? m[3] : 1;
              return alpha > 0 && (0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]) / 255 < 0.6;
            }).map(e => e.tagName + '.' + e.className)
            """;

        var screen = await chromium.OpenAsync(page, new PageProbe { Text = ["#verdict", "#findings"], Evaluate = [darkBackgrounds] });
        var print = await chromium.OpenAsync(page, new PageProbe { Media = "print", Evaluate = [darkBackgrounds, "getComputedStyle(document.querySelector('th')).backgroundColor"] });

        Assert.Equal("HOLDS", screen.Text["#verdict"]);
        Assert.Contains("No findings.", screen.Text["#findings"]);
        Assert.Empty(screen.Evaluated[darkBackgrounds].EnumerateArray());
        Assert.Empty(print.Evaluated[darkBackgrounds].EnumerateArray());
        Assert.Equal("rgba(0, 0, 0, 0)", print.Evaluated["getComputedStyle(document.querySelector('th')).backgroundColor"].GetString());
        NothingHappened(page, screen);
        NothingHappened(page, print);
    }

    [Fact]
    public async Task Ten_thousand_findings_render_every_row_without_a_console_message()
    {
        var page = await WriteAsync("many.html", AuditReportSamples.Many(10_000));

        var visit = await chromium.OpenAsync(page, new PageProbe { Text = ["#count-violations"], Count = ["section.finding-class tbody tr", "section.finding-class"] });
        log.WriteLine($"{new FileInfo(page.LocalPath).Length:N0} bytes, loaded in {visit.LoadMs} ms");

        Assert.Equal(10_000, visit.Count["section.finding-class tbody tr"]);
        Assert.Equal(4, visit.Count["section.finding-class"]);
        Assert.Equal("5,000", visit.Text["#count-violations"]);
        NothingHappened(page, visit);
    }

    /// <summary>No console message at all (a blocked style or load would log one), no uncaught error, no request but the page, no dialog.</summary>
    private static void NothingHappened(Uri page, PageVisit visit)
    {
        Assert.Empty(visit.Console);
        Assert.Empty(visit.PageErrors);
        Assert.Empty(visit.RequestsBesides(page));
        Assert.Empty(visit.FailedRequests);
        Assert.Empty(visit.Dialogs);
    }

    private async Task<Uri> WriteAsync(string name, AuditReport report)
    {
        var path = Path.Combine(_folder.FullName, name);
        await using (var file = File.Create(path))
            await AuditReportHtml.WriteAsync(report, file);
        return new Uri(path);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
