using Amazon.S3;

namespace Recorder.Storage;

/// <summary>
/// An Object Lock retention: <see cref="Mode"/> GOVERNANCE (a user with s3:BypassGovernanceRetention may still
/// delete) or COMPLIANCE (nobody, not even the root account, until <see cref="RetainUntil"/>).
/// </summary>
public sealed record ObjectRetention(ObjectLockMode Mode, DateTimeOffset RetainUntil)
{
    /// <summary>Parses <c>governance:DAYS</c> or <c>compliance:DAYS</c> (days 1 to 36,500) into a retention from <paramref name="now"/>.</summary>
    public static ObjectRetention Parse(string text, DateTimeOffset now)
    {
        var (mode, days) = ParsePolicy(text);
        return new ObjectRetention(mode, now.AddDays(days));
    }

    /// <summary>The mode and days of <c>governance:DAYS</c> or <c>compliance:DAYS</c>; FormatException otherwise.</summary>
    public static (ObjectLockMode Mode, int Days) ParsePolicy(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days)
            || days is < 1 or > 36_500)
            throw new FormatException($"'{text}' is not a retention: expected governance:DAYS or compliance:DAYS (1 to 36500 days)");
        return parts[0].ToLowerInvariant() switch
        {
            "governance" => (ObjectLockMode.Governance, days),
            "compliance" => (ObjectLockMode.Compliance, days),
            _ => throw new FormatException($"'{parts[0]}' is not an Object Lock mode: expected governance or compliance"),
        };
    }
}
