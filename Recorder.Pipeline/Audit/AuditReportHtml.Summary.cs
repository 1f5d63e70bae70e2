using System.Globalization;
using System.Text;

namespace Recorder.Pipeline.Audit;

public static partial class AuditReportHtml
{
    /// <summary>The verdict in big type, the counts by severity and by setting outcome, what was checked, and the classes found.</summary>
    private static void WriteSummary(AuditReport report, bool holds, IReadOnlyList<FindingGroup> groups, StringBuilder html)
    {
        var violations = Total(groups, FindingSeverity.Violation);
        var warnings = Total(groups, FindingSeverity.Warning);
        var notices = Total(groups, FindingSeverity.Notice);
        var pass = report.Settings.Count(s => s.Status == SettingStatus.Pass);
        var fail = report.Settings.Count(s => s.Status == SettingStatus.Fail);
        var cannotVerify = report.Settings.Count(s => s.Status == SettingStatus.CannotVerify);

        html.Append("<section id=\"summary\" class=\"summary ").Append(holds ? "holds" : "violations").Append("\">\n")
            .Append("<p class=\"verdict\" id=\"verdict\">").Append(holds ? "HOLDS" : "VIOLATIONS").Append("</p>\n<p class=\"why\">");
        if (holds)
        {
            html.Append("No finding is a violation and no bucket setting failed.");
            if (warnings + notices > 0) html.Append(' ').Append(Count(warnings, "warning")).Append(" and ").Append(Count(notices, "notice")).Append(" are listed below.");
        }
        else
        {
            var parts = new List<string>();
            if (violations > 0) parts.Add($"{Count(violations, "violation")} in {Count(groups.Count(g => g.Severity == FindingSeverity.Violation), "class", "classes")}");
            if (fail > 0) parts.Add($"{Count(fail, "bucket setting")} failed");
            html.Append(string.Join("; ", parts)).Append('.');
        }
        if (cannotVerify > 0) html.Append(' ').Append(Count(cannotVerify, "setting")).Append(" could not be verified.");
        html.Append("</p>\n<div class=\"tiles\">\n");
        Tile("violation", "count-violations", violations, violations == 1 ? "violation" : "violations");
        Tile("warning", "count-warnings", warnings, warnings == 1 ? "warning" : "warnings");
        Tile("notice", "count-notices", notices, notices == 1 ? "notice" : "notices");
        Tile("fail", "settings-fail", fail, fail == 1 ? "setting failed" : "settings failed");
        Tile("pass", "settings-pass", pass, pass == 1 ? "setting passes" : "settings pass");
        Tile("cannot-verify", "settings-cannot-verify", cannotVerify, cannotVerify == 1 ? "setting cannot be verified" : "settings cannot be verified");
        html.Append("</div>\n<h3>What was checked</h3>\n<dl class=\"facts\" id=\"checked\">\n");
        var c = report.Counts;
        Fact("Objects", Number(c.Objects));
        Fact("Bytes", Bytes(c.Bytes));
        Fact("Recordings", Number(c.Recordings));
        Fact("Segments", Number(c.Segments));
        Fact("Incomplete multipart uploads", Number(c.IncompleteUploads));
        Fact("Audit log entries", Number(c.LogEntries));
        Fact("Checkpoints", Number(c.Checkpoints));
        html.Append("</dl>\n");

        html.Append("<h3>Findings by class</h3>\n");
        if (groups.Count == 0)
        {
            html.Append("<p class=\"none\">No findings.</p>\n</section>\n");
            return;
        }
        html.Append("<table class=\"classes\">\n<thead><tr><th>Class</th><th class=\"code\">Code</th><th class=\"sev-col\">Severity</th><th class=\"num\">Findings</th></tr></thead>\n<tbody>\n");
        foreach (var g in groups)
        {
            html.Append("<tr class=\"").Append(SeverityName(g.Severity)).Append("\"><td><a href=\"#").Append(g.Anchor).Append("\">");
            HtmlText.Append(html, FindingCodes.Title(g.Code));
            html.Append("</a></td><td><code>");
            HtmlText.Append(html, g.Code);
            html.Append("</code></td><td>").Append(Severity(g.Severity)).Append("</td><td class=\"num\">").Append(Number(g.Count)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");

        void Tile(string kind, string id, long n, string label) =>
            html.Append("<div class=\"tile ").Append(kind).Append(n == 0 ? " zero" : "").Append("\"><span class=\"n\" id=\"").Append(id).Append("\">")
                .Append(Number(n)).Append("</span> ").Append(label).Append("</div>\n");

        void Fact(string name, string value) => html.Append("<dt>").Append(name).Append("</dt><dd>").Append(value).Append("</dd>\n");
    }

    private static int Total(IReadOnlyList<FindingGroup> groups, FindingSeverity severity) => groups.Where(g => g.Severity == severity).Sum(g => g.Count);

    private static string SeverityName(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Violation => "violation",
        FindingSeverity.Warning => "warning",
        FindingSeverity.Notice => "notice",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };

    /// <summary>A severity as a badge (its class colors it; the word carries it in print and for screen readers).</summary>
    private static string Severity(FindingSeverity severity) => $"<span class=\"sev {SeverityName(severity)}\">{SeverityName(severity)}</span>";

    private static string Count(long n, string one, string? many = null) => $"{Number(n)} {(n == 1 ? one : many ?? one + "s")}";

    private static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Bytes(long n)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
        if (n < 1024) return Count(n, "byte");
        var value = (double)n;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return $"{value.ToString("0.0", CultureInfo.InvariantCulture)} {units[unit]} ({Number(n)} bytes)";
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan d) => d.TotalSeconds switch
    {
        < 0 => "?",
        < 60 => $"{d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
        < 3600 => $"{(int)d.TotalMinutes} min {d.Seconds} s",
        _ => $"{(int)d.TotalHours} h {d.Minutes} min",
    };
}
