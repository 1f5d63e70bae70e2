using System.Globalization;

namespace Recorder.Cli.Api;

/// <summary>How the API verbs print times, recipients and optional values in their human forms.</summary>
internal static class ApiText
{
    /// <summary>UTC to the second, in the form <c>schedule --at</c> takes: 2026-12-24T18:00:00Z.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A recipient short enough for a table column but still telling keys apart:
    /// an age key's start and end (age1qyqszqgp…3u0f), a KMS key's id without the ARN's account and region.
    /// </summary>
    public static string ShortRecipient(string recipient)
    {
        if (recipient.StartsWith("kms:", StringComparison.Ordinal)) return "kms:" + recipient[(recipient.LastIndexOf(':') + 1)..];
        return recipient.Length > 18 ? $"{recipient[..12]}…{recipient[^4..]}" : recipient;
    }

    /// <summary>The first recipient short, and how many more there are.</summary>
    public static string Recipients(IReadOnlyList<string> recipients) => recipients.Count switch
    {
        0 => "-",
        1 => ShortRecipient(recipients[0]),
        _ => $"{ShortRecipient(recipients[0])} +{recipients.Count - 1}",
    };
}
