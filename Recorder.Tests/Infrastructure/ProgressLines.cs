using System.Text.RegularExpressions;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// The plain progress lines a transfer verb writes to a stderr that is not a terminal
/// (<c>recorder: encrypt: 64.0 MiB of 381.6 MiB, …</c>, every 5 s, so only on a slow or
/// busy machine in tests). Tests that check "nothing but progress on stderr" strip them:
/// errors, hints and warnings never start with a number, so they stay.
/// </summary>
public static partial class ProgressLines
{
    public static string Strip(string stderr) => Line().Replace(stderr, "");

    [GeneratedRegex(@"^recorder: (encrypt|decrypt|grant): \d[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex Line();
}
