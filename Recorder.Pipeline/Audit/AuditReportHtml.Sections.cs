using System.Text;

namespace Recorder.Pipeline.Audit;

public static partial class AuditReportHtml
{
    private static void WriteSettings(IReadOnlyList<BucketSettingCheck> settings, StringBuilder html)
    {
        html.Append("<section id=\"settings\">\n<h2>Bucket settings</h2>\n");
        if (settings.Count == 0)
        {
            html.Append("<p class=\"none\">No bucket setting was checked.</p>\n</section>\n");
            return;
        }
        html.Append("<table class=\"settings\">\n<colgroup><col class=\"name\"><col class=\"status\"><col class=\"detail\"><col class=\"reproduce\"></colgroup>\n")
            .Append("<thead><tr><th>Setting</th><th>Status</th><th>What the server said</th><th>Command that shows it</th></tr></thead>\n<tbody>\n");
        foreach (var s in settings)
        {
            var (name, label) = s.Status switch
            {
                SettingStatus.Pass => ("pass", "pass"),
                SettingStatus.Fail => ("fail", "FAIL"),
                SettingStatus.CannotVerify => ("cannot-verify", "cannot verify"),
                _ => throw new ArgumentOutOfRangeException(nameof(settings), s.Status, "unknown setting status"),
            };
            html.Append("<tr class=\"").Append(name).Append("\"><td>");
            HtmlText.Append(html, s.Name);
            html.Append("</td><td class=\"status\">").Append(label).Append("</td><td>");
            HtmlText.Append(html, s.Detail);
            html.Append("</td><td>");
            WriteCommand(s.Reproduce, html);
            html.Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void WriteGroupStart(FindingGroup group, StringBuilder html)
    {
        html.Append("<section class=\"finding-class ").Append(SeverityName(group.Severity)).Append("\" id=\"").Append(group.Anchor).Append("\" data-code=\"");
        HtmlText.Append(html, group.Code, markInvisible: false);
        html.Append("\">\n<h3>");
        var title = FindingCodes.Title(group.Code);
        HtmlText.Append(html, title);
        if (title != group.Code) // a class this build has no title for is titled with its code: once is enough
        {
            html.Append(" <code>");
            HtmlText.Append(html, group.Code);
            html.Append("</code>");
        }
        html.Append(' ').Append(Severity(group.Severity)).Append(" <span class=\"count\">").Append(Count(group.Count, "finding")).Append("</span></h3>\n")
            .Append("<table class=\"findings\">\n<colgroup><col class=\"num\"><col class=\"subject\"><col class=\"message\"><col class=\"reproduce\"></colgroup>\n")
            .Append("<thead><tr><th class=\"num\">#</th><th>Subject</th><th>Finding</th><th>Command that reproduces it</th></tr></thead>\n<tbody>\n");
    }

    private static void WriteFinding(int row, AuditFinding finding, StringBuilder html)
    {
        html.Append("<tr><td class=\"num\">").Append(Number(row)).Append("</td><td class=\"subject\">");
        HtmlText.Append(html, finding.Subject);
        html.Append("</td><td>");
        HtmlText.Append(html, finding.Message);
        html.Append("</td><td>");
        WriteCommand(finding.Reproduce, html);
        html.Append("</td></tr>\n");
    }

    /// <summary>A command as the auditor copies it: a <c>pre</c> keeps its spaces and quotes; the stylesheet lets a click select all of it.</summary>
    private static void WriteCommand(string? command, StringBuilder html)
    {
        if (string.IsNullOrEmpty(command))
        {
            html.Append("<span class=\"none\">no command</span>");
            return;
        }
        html.Append("<pre><code>");
        HtmlText.Append(html, command);
        html.Append("</code></pre>");
    }

    private static void WriteLog(AuditLogSummary? log, StringBuilder html)
    {
        html.Append("<section id=\"log\">\n<h2>Audit log</h2>\n");
        if (log is null)
        {
            html.Append("<p class=\"none\">The report has no audit log state.</p>\n</section>\n");
            return;
        }
        html.Append("<dl class=\"facts\">\n<dt>Origin</dt><dd><code>");
        HtmlText.Append(html, log.Origin);
        html.Append("</code></dd>\n<dt>Entries</dt><dd>").Append(Number(log.Entries)).Append("</dd>\n<dt>Checkpoint size</dt><dd>")
            .Append(log.CheckpointSize is { } size ? Number(size) : "<span class=\"none\">no checkpoint</span>").Append("</dd>\n<dt>Checkpoint root</dt><dd>");
        WriteValue(log.CheckpointRoot, html);
        html.Append("</dd>\n<dt>Verifier key</dt><dd>");
        WriteValue(log.VerifierKey, html);
        html.Append("</dd>\n</dl>\n</section>\n");
    }

    private static void WriteValue(string? value, StringBuilder html)
    {
        if (value is null)
        {
            html.Append("<span class=\"none\">none</span>");
            return;
        }
        html.Append("<code class=\"value\">");
        HtmlText.Append(html, value);
        html.Append("</code>");
    }

    /// <summary>
    /// One finding class of the page: findings of one code and severity. Ordered violations, warnings, notices, then
    /// by code, whatever the order of the findings; <see cref="Anchor"/> is the section's id (codes are not ids).
    /// </summary>
    private sealed record FindingGroup(FindingSeverity Severity, string Code, int Count, int Number)
    {
        public string Anchor => $"c{Number}";

        public bool Contains(AuditFinding finding) => finding.Severity == Severity && string.Equals(finding.Code, Code, StringComparison.Ordinal);

        public static IReadOnlyList<FindingGroup> Of(IReadOnlyList<AuditFinding> findings)
        {
            var counts = new Dictionary<(FindingSeverity, string), int>();
            foreach (var f in findings)
            {
                var key = (f.Severity, f.Code);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            return counts.OrderBy(c => c.Key.Item1).ThenBy(c => c.Key.Item2, StringComparer.Ordinal)
                .Select((c, i) => new FindingGroup(c.Key.Item1, c.Key.Item2, c.Value, i + 1))
                .ToList();
        }
    }
}
