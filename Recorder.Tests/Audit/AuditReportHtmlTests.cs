using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Recorder.Pipeline.Audit;

namespace Recorder.Tests.Audit;

/// <summary>
/// The HTML audit report as text: what it escapes, what it shows and in which order, and that it streams. Its
/// behaviour in a real browser (no request, no console error, no handler fired) is <see cref="AuditReportHtmlBrowserTests"/>.
/// </summary>
public sealed partial class AuditReportHtmlTests
{
    /// <summary>Every element the page may have: a hostile key that became markup would add another (img, script, object, b…).</summary>
    private static readonly HashSet<string> AllowedElements =
    [
        "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section", "div", "h1", "h2", "h3", "p",
        "span", "a", "code", "pre", "dl", "dt", "dd", "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td",
    ];

    [Fact]
    public void Hostile_keys_stay_text_no_element_or_handler_comes_from_the_bucket()
    {
        var html = AuditReportHtml.Render(AuditReportSamples.Hostile());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Subset(AllowedElements, StartTag().Matches(html).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToHashSet());
        Assert.DoesNotMatch(EventHandlerAttribute(), html);
        // Every onerror= is text: after the last '>' that precedes it, no '<' opened a tag.
        var at = 0;
        var seen = 0;
        while ((at = html.IndexOf("onerror=", at + 1, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            seen++;
            Assert.True(html.LastIndexOf('>', at) > html.LastIndexOf('<', at), $"onerror= inside a tag at {at}: {html[Math.Max(0, at - 80)..(at + 20)]}");
        }
        Assert.True(seen >= 3, "the hostile key is shown (subject, message, command)");

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", html);
        // The right-to-left override is shown, not obeyed.
        Assert.DoesNotContain("\u202E", html, StringComparison.Ordinal);
        Assert.Contains("rec/<span class=\"ctl\">\\u202E</span>ega.mp4-0003", html);
        Assert.Contains("data-code=\"object-&lt;b&gt;unexpected&lt;/b&gt;\"", html);
        Assert.Contains("<title>Recorder audit of s3://meetings/recordings/: VIOLATIONS (2026-03-14 09:28:16Z)</title>", html);
    }

    [Fact]
    public void Every_finding_is_a_row_of_its_class_with_its_exact_reproduce_command()
    {
        var report = AuditReportSamples.Hostile();
        var html = AuditReportHtml.Render(report);
        var sections = ClassSections(html);

        Assert.Equal(report.Findings.Count, Rows().Matches(html).Count);
        foreach (var finding in report.Findings)
        {
            var section = Assert.Single(sections, s => s.Code == finding.Code).Html;
            Assert.Contains($"<td class=\"subject\">{Escaped(finding.Subject)}</td><td>{Escaped(finding.Message)}</td>", section);
            Assert.Contains(finding.Reproduce is null ? "<span class=\"none\">no command</span>" : $"<pre><code>{Escaped(finding.Reproduce)}</code></pre>", section);
            // The command as the auditor copies it from the page is the command (where it has no invisible character:
            // those are shown as \uXXXX, and copied so; a command meant for copying quotes them itself, as $'\u202e').
            if (finding.Reproduce is { } command && !command.Contains('\u202E')) Assert.Contains(command, WebUtility.HtmlDecode(section));
        }
        foreach (var setting in report.Settings)
            Assert.Contains($"<pre><code>{Escaped(setting.Reproduce)}</code></pre>", html);
    }

    [Fact]
    public void The_summary_counts_severities_settings_classes_and_what_was_checked()
    {
        var html = AuditReportHtml.Render(AuditReportSamples.Hostile());
        var summary = html[html.IndexOf("<section id=\"summary\"", StringComparison.Ordinal)..html.IndexOf("<section id=\"settings\"", StringComparison.Ordinal)];

        Assert.Contains("<p class=\"verdict\" id=\"verdict\">VIOLATIONS</p>", summary);
        Assert.Contains("<p class=\"why\">3 violations in 2 classes; 1 bucket setting failed. 1 setting could not be verified.</p>", summary);
        Assert.Equal(
            [("count-violations", "3"), ("count-warnings", "2"), ("count-notices", "1"), ("settings-fail", "1"), ("settings-pass", "1"), ("settings-cannot-verify", "1")],
            TileCount().Matches(summary).Select(m => (m.Groups[1].Value, m.Groups[2].Value)));
        Assert.Contains("<dt>Objects</dt><dd>12,345</dd>", summary);
        Assert.Contains("<dt>Bytes</dt><dd>3.0 GiB (3,221,225,472 bytes)</dd>", summary);
        Assert.Contains("<dt>Incomplete multipart uploads</dt><dd>2</dd>", summary);
        Assert.Contains("<dt>Checkpoints</dt><dd>3</dd>", summary);
        // Per class: title, code, severity, count, in the order of the tables.
        Assert.Equal(
            [
                ("Segments without a manifest", "manifest-missing", "violation", "1"),
                ("Segments that are not age files", "segment-not-age", "violation", "2"),
                ("object-&lt;b&gt;unexpected&lt;/b&gt;", "object-&lt;b&gt;unexpected&lt;/b&gt;", "warning", "1"),
                ("Truncated segments (their worker died)", "segment-truncated", "warning", "1"),
                ("Signers known only from the bucket", "signer-only-in-bucket", "notice", "1"),
            ],
            ClassRow().Matches(summary).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value)));
    }

    [Fact]
    public void A_clean_report_holds_and_says_so_and_a_failed_setting_alone_does_not()
    {
        var clean = AuditReportSamples.Clean();
        var html = AuditReportHtml.Render(clean);
        Assert.Contains("<section id=\"summary\" class=\"summary holds\">", html);
        Assert.Contains("<p class=\"verdict\" id=\"verdict\">HOLDS</p>", html);
        Assert.Contains("<p class=\"why\">No finding is a violation and no bucket setting failed.</p>", html);
        Assert.Contains(": HOLDS (", html);
        Assert.Contains("<p class=\"none\">No findings.</p>", html);
        Assert.Contains("<p class=\"none\">The report has no audit log state.</p>", html);

        var warned = AuditReportHtml.Render(clean with { Findings = [FindingCodes.Finding(FindingCodes.SegmentTruncated, "s3://meetings/a", "ends early")] });
        Assert.Contains("<p class=\"verdict\" id=\"verdict\">HOLDS</p>", warned);
        Assert.Contains("1 warning and 0 notices are listed below.", warned);

        var failed = AuditReportHtml.Render(clean with { Settings = [new BucketSettingCheck("object lock", SettingStatus.Fail, "none", "aws s3api get-object-lock-configuration --bucket meetings")] });
        Assert.Contains("<p class=\"verdict\" id=\"verdict\">VIOLATIONS</p>", failed);
        Assert.Contains("<p class=\"why\">1 bucket setting failed.</p>", failed);
    }

    [Fact]
    public void Classes_come_violations_first_then_by_code_whatever_the_order_of_the_findings()
    {
        var report = AuditReportSamples.Hostile();
        var html = AuditReportHtml.Render(report);
        Assert.Equal(
            ["manifest-missing", "segment-not-age", "object-&lt;b&gt;unexpected&lt;/b&gt;", "segment-truncated", "signer-only-in-bucket"],
            ClassSections(html).Select(s => s.Code == AuditReportSamples.UnknownCode ? Escaped(s.Code) : s.Code));
        Assert.Equal(["violation", "violation", "warning", "warning", "notice"], ClassSection().Matches(html).Select(m => m.Groups[1].Value));

        // Rows keep the report's order within a class; the classes' order does not depend on it.
        var reversed = AuditReportHtml.Render(report with { Findings = [.. report.Findings.Reverse()] });
        Assert.Equal(ClassSections(html).Select(s => s.Code), ClassSections(reversed).Select(s => s.Code));
        var notAge = ClassSections(reversed).Single(s => s.Code == FindingCodes.SegmentNotAge).Html;
        Assert.True(notAge.IndexOf("plain.mp4.age", StringComparison.Ordinal) < notAge.IndexOf("&lt;script&gt;", StringComparison.Ordinal));
    }

    [Fact]
    public void The_stylesheet_is_the_one_the_policy_allows_and_the_policy_allows_nothing_else()
    {
        var html = AuditReportHtml.Render(AuditReportSamples.Clean());
        var style = Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));

        Assert.Contains($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'\">", html);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\"", html);
        Assert.Single(Regex.Matches(html, "<style>"));
        Assert.DoesNotContain("style=", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("url(", html);
        Assert.DoesNotContain("@import", html);
        Assert.All(Regex.Matches(html, "href=\"([^\"]*)\"").Select(m => m.Groups[1].Value), href => Assert.StartsWith("#", href));
        Assert.Contains("@media print{", style);
    }

    [Fact]
    public async Task WriteAsync_streams_10000_findings_in_pieces_and_writes_what_Render_returns()
    {
        var report = AuditReportSamples.Many(10_000);
        var output = new WriteRecordingStream();
        var started = System.Diagnostics.Stopwatch.StartNew();
        await AuditReportHtml.WriteAsync(report, output, CancellationToken.None);
        var elapsed = started.Elapsed;

        var html = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal(AuditReportHtml.Render(report), html);
        Assert.Equal(10_000, Rows().Matches(html).Count);
        Assert.Equal(new[] { 2500, 2500, 2500, 2500 }, ClassSections(html).Select(s => Rows().Matches(s.Html).Count));
        Assert.True(output.Writes > 20, $"{output.Writes} writes of {html.Length:N0} characters: not streamed");
        Assert.InRange(output.LargestWrite, 1, 256 * 1024);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"10,000 findings took {elapsed}");
        Assert.False(output.Disposed, "the caller's stream is left open");
    }

    private static string Escaped(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;")
            .Replace("\u202E", "<span class=\"ctl\">\\u202E</span>");

    private sealed record ClassHtml(string Code, string Html);

    /// <summary>Each finding class's section, its code unescaped.</summary>
    private static List<ClassHtml> ClassSections(string html) =>
    [
        .. ClassSection().Matches(html).Select(m =>
        {
            var end = html.IndexOf("</section>", m.Index, StringComparison.Ordinal);
            return new ClassHtml(WebUtility.HtmlDecode(m.Groups[2].Value), html[m.Index..end]);
        }),
    ];

    [GeneratedRegex("<([a-zA-Z][a-zA-Z0-9]*)")]
    private static partial Regex StartTag();

    [GeneratedRegex("<[^>]*\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    [GeneratedRegex("<tr><td class=\"num\">")]
    private static partial Regex Rows();

    [GeneratedRegex("<span class=\"n\" id=\"([a-z-]+)\">([0-9,]+)</span>")]
    private static partial Regex TileCount();

    [GeneratedRegex("<tr class=\"[a-z]+\"><td><a href=\"#c\\d+\">(.*?)</a></td><td><code>(.*?)</code></td><td><span class=\"sev ([a-z]+)\">[a-z]+</span></td><td class=\"num\">([0-9,]+)</td></tr>")]
    private static partial Regex ClassRow();

    [GeneratedRegex("<section class=\"finding-class ([a-z]+)\" id=\"c\\d+\" data-code=\"([^\"]*)\">")]
    private static partial Regex ClassSection();

    /// <summary>A memory stream that counts the writes it gets and the largest, and whether it was disposed.</summary>
    private sealed class WriteRecordingStream : MemoryStream
    {
        public int Writes { get; private set; }
        public int LargestWrite { get; private set; }
        public bool Disposed { get; private set; }

        // MemoryStream's span overloads of a derived type come back here through Stream's: count only in this one.
        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            LargestWrite = Math.Max(LargestWrite, count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
