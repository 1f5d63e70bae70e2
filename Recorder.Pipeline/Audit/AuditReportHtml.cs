using System.Text;

namespace Recorder.Pipeline.Audit;

/// <summary>
/// <c>recorder audit --report FILE.html</c>: the audit as one self-contained HTML5 file an auditor attaches to a finding.
/// The verdict and counts come first, then the bucket settings, one table per finding class (violations first) with
/// the command that reproduces each finding, and the audit log's state. The file has no script, loads nothing (its
/// Content-Security-Policy allows only its own stylesheet, by hash) and prints without dark backgrounds; everything
/// taken from the report is escaped (<see cref="HtmlText"/>), since object keys are chosen by whoever wrote the bucket.
/// </summary>
public static partial class AuditReportHtml
{
    /// <summary><see cref="WriteAsync"/> hands the page over to its stream in pieces of about this many characters.</summary>
    private const int FlushAtChars = 32 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The whole page as one string (for small reports and tests; <see cref="WriteAsync"/> streams).</summary>
    public static string Render(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        foreach (var _ in Write(report, html))
        {
        }
        return html.ToString();
    }

    /// <summary>
    /// Writes the page to <paramref name="output"/> as UTF-8, about <see cref="FlushAtChars"/> characters at a time:
    /// a report with 10,000 findings never becomes one string. The stream is left open.
    /// </summary>
    public static async Task WriteAsync(AuditReport report, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var html = new StringBuilder(FlushAtChars + 4096);
        var writer = new StreamWriter(output, Utf8, bufferSize: 64 * 1024, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var _ in Write(report, html))
            {
                await writer.WriteAsync(html, cancellationToken).ConfigureAwait(false);
                html.Clear();
            }
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Appends the page to <paramref name="html"/>, pausing (yielding) whenever it holds <see cref="FlushAtChars"/>
    /// characters or more, and once at the end. Findings are grouped by walking the report's list once per class: no
    /// copy of the findings is made.
    /// </summary>
    private static IEnumerable<int> Write(AuditReport report, StringBuilder html)
    {
        var groups = FindingGroup.Of(report.Findings);
        var holds = report.Holds;
        WriteHead(report, holds, html);
        WriteSummary(report, holds, groups, html);
        WriteSettings(report.Settings, html);
        if (html.Length >= FlushAtChars) yield return 0;

        html.Append("<section id=\"findings\">\n<h2>Findings</h2>\n");
        if (groups.Count == 0) html.Append("<p class=\"none\">No findings.</p>\n");
        foreach (var group in groups)
        {
            WriteGroupStart(group, html);
            var row = 0;
            foreach (var finding in report.Findings)
            {
                if (!group.Contains(finding)) continue;
                WriteFinding(++row, finding, html);
                if (html.Length >= FlushAtChars) yield return 0;
            }
            html.Append("</tbody>\n</table>\n</section>\n");
        }
        html.Append("</section>\n");

        WriteLog(report.Log, html);
        html.Append("</main>\n<footer>Written by <code>recorder audit</code> ");
        HtmlText.Append(html, report.AuditorBuild);
        html.Append(". This page has no scripts and loads nothing: what it shows is all it holds.</footer>\n</body>\n</html>\n");
        yield return 0;
    }

    private static void WriteHead(AuditReport report, bool holds, StringBuilder html)
    {
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"color-scheme\" content=\"light\">\n")
            .Append("<title>");
        HtmlText.Append(html, $"Recorder audit of {Where(report)}: {(holds ? "HOLDS" : "VIOLATIONS")} ({Time(report.FinishedAt)})", markInvisible: false);
        html.Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<header>\n<h1>Audit of <span class=\"where\">");
        HtmlText.Append(html, Where(report));
        html.Append("</span></h1>\n<p class=\"when\">From ").Append(Time(report.StartedAt)).Append(" to ").Append(Time(report.FinishedAt))
            .Append(" (").Append(Duration(report.FinishedAt - report.StartedAt)).Append("), by <code>recorder</code> ");
        HtmlText.Append(html, report.AuditorBuild);
        html.Append("</p>\n</header>\n<main>\n");
    }

    private static string Where(AuditReport report) => $"{ObjectLocation.Scheme}{report.Bucket}/{report.Prefix}";
}
