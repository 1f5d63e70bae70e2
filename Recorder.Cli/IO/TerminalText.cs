using System.Globalization;
using System.Text;

namespace Recorder.Cli.IO;

/// <summary>
/// Text from outside (object keys in findings) made safe for a terminal: control characters (an escape sequence
/// could rewrite the screen) and invisible format characters (a right-to-left override could make one key look
/// like another) are shown as <c>\uXXXX</c>.
/// </summary>
internal static class TerminalText
{
    public static string Safe(string text)
    {
        if (!text.Any(NeedsEscape)) return text;
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (NeedsEscape(c)) builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else builder.Append(c);
        }
        return builder.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
