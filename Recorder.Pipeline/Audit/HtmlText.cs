using System.Globalization;
using System.Text;

namespace Recorder.Pipeline.Audit;

/// <summary>
/// Text into HTML for the audit report, where subjects and messages carry object keys an attacker chose: the five
/// characters that end text or an attribute value are replaced by references, and characters a reader cannot see
/// (controls, bidirectional overrides and other format characters, line separators, lone surrogates) are shown as
/// <c>\uXXXX</c>, so a key cannot pose as another key on screen.
/// </summary>
internal static class HtmlText
{
    /// <summary>Appends <paramref name="text"/> escaped for element content or a double-quoted attribute value.</summary>
    /// <param name="markInvisible">
    /// Wrap the <c>\uXXXX</c> of an invisible character in <c>&lt;span class="ctl"&gt;</c>; false where no element
    /// may be (the title, attribute values).
    /// </param>
    public static void Append(StringBuilder html, string? text, bool markInvisible = true)
    {
        if (text is null) return;
        var run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++; // a pair (an emoji, a rare letter) is as visible as any letter
                continue;
            }
            var reference = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            };
            if (reference is null && !IsInvisible(c)) continue;
            html.Append(text, run, i - run);
            if (reference is not null)
            {
                html.Append(reference);
            }
            else
            {
                if (markInvisible) html.Append("<span class=\"ctl\">");
                html.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                if (markInvisible) html.Append("</span>");
            }
            run = i + 1;
        }
        html.Append(text, run, text.Length - run);
    }

    /// <summary>Characters shown as <c>\uXXXX</c>: all but tab, line feed and carriage return among controls, format characters, separators, lone surrogates.</summary>
    private static bool IsInvisible(char c) => c is not ('\t' or '\n' or '\r') && CharUnicodeInfo.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse => true,
        _ => false,
    };
}
