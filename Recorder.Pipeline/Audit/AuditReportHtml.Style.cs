using System.Security.Cryptography;
using System.Text;

namespace Recorder.Pipeline.Audit;

public static partial class AuditReportHtml
{
    /// <summary>
    /// The page's whole policy: nothing may load or run, and the one stylesheet is allowed by its hash, so even an
    /// element that escaped the escaping (a <c>style</c>, a <c>script</c>, an <c>img</c>, a <c>style</c> attribute)
    /// would do nothing. Forms and <c>base</c> are shut too (<c>default-src</c> does not cover them).
    /// </summary>
    internal static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))}'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// Light on screen, and in print black on white with no background at all (browsers drop backgrounds when printing
    /// anyway; a saved PDF keeps them). Fonts are the system's: nothing to load.
    /// </summary>
    internal const string Css = """
        :root{--bad:#b00020;--warn:#8a5300;--note:#0b5394;--ok:#116329;--line:#d0d7de;--muted:#57606a;--tint:#f6f8fa}
        *{box-sizing:border-box}
        html{color-scheme:light}
        body{margin:0 auto;max-width:1280px;padding:1.5rem;font:15px/1.45 system-ui,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#fff}
        code,pre,.where{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
        h1{font-size:1.6rem;margin:0 0 .25rem;overflow-wrap:anywhere}
        h2{font-size:1.3rem;margin:2rem 0 .6rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
        h3{font-size:1.05rem;margin:1.5rem 0 .5rem;overflow-wrap:anywhere}
        .when,footer{color:var(--muted)}
        .when{margin:0 0 1.25rem}
        footer{margin-top:2.5rem;font-size:.85rem}
        .summary{border:3px solid var(--ok);border-radius:8px;padding:1rem 1.25rem}
        .summary.violations{border-color:var(--bad)}
        .verdict{margin:0;font-size:3.2rem;font-weight:800;letter-spacing:.04em;line-height:1.1;color:var(--ok)}
        .violations .verdict{color:var(--bad)}
        .why{margin:.3rem 0 1rem;font-size:1.1rem}
        .tiles{display:flex;flex-wrap:wrap;gap:.6rem}
        .tile{border:1px solid var(--line);border-radius:6px;padding:.45rem .8rem;min-width:8.5rem}
        .tile .n{display:block;font-size:2rem;font-weight:700;line-height:1.15}
        .tile.violation .n,.tile.fail .n{color:var(--bad)}
        .tile.warning .n{color:var(--warn)}
        .tile.notice .n,.tile.cannot-verify .n{color:var(--note)}
        .tile.pass .n{color:var(--ok)}
        .tile.zero .n{color:var(--muted)}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1.25rem;margin:0}
        dl.facts dt{color:var(--muted)}
        dl.facts dd{margin:0;overflow-wrap:anywhere}
        table{border-collapse:collapse;width:100%;table-layout:fixed;margin:0 0 .5rem}
        th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
        th{background:var(--tint)}
        .num{text-align:right}
        col.num{width:4.5rem}
        col.subject{width:28%}
        col.message{width:32%}
        col.name{width:20%}
        col.status{width:8rem}
        col.detail{width:32%}
        table.classes{width:auto;min-width:60%;table-layout:auto}
        pre{margin:0;padding:.25rem .4rem;white-space:pre-wrap;word-break:break-all;font-size:.82rem;background:var(--tint);border:1px solid var(--line);border-radius:4px;user-select:all}
        .sev{display:inline-block;padding:0 .35rem;border:1px solid currentColor;border-radius:3px;font-size:.75rem;font-weight:700;text-transform:uppercase;vertical-align:middle}
        .sev.violation,tr.fail .status{color:var(--bad)}
        .sev.warning{color:var(--warn)}
        .sev.notice,tr.cannot-verify .status{color:var(--note)}
        tr.pass .status{color:var(--ok)}
        .status{font-weight:700}
        h3 .count{color:var(--muted);font-weight:400;font-size:.9rem}
        .none{color:var(--muted);font-style:italic}
        .ctl{color:var(--bad);border:1px dotted currentColor;font-family:ui-monospace,monospace;font-size:.85em}
        a{color:inherit}
        @page{margin:14mm}
        @media print{
        *{background:transparent !important;box-shadow:none !important}
        body{max-width:none;padding:0;font-size:10pt;color:#000}
        .summary{border-width:2px}
        thead{display:table-header-group}
        tr,pre,.tile,dl.facts{break-inside:avoid}
        h2,h3{break-after:avoid}
        a{text-decoration:none}
        }

        """;
}
