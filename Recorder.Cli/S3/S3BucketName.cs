using System.Net;

namespace Recorder.Cli.S3;

/// <summary>
/// S3's bucket naming rules (general purpose buckets), checked before anything
/// connects or records: a bad name is a usage error (exit 2), not a NoSuchBucket
/// minutes into a recording.
/// </summary>
public static class S3BucketName
{
    public const string Rule = "bucket names are 3-63 characters of lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";

    /// <summary>Returns <paramref name="name"/>, or throws a usage error naming <paramref name="origin"/> (e.g. "--bucket").</summary>
    public static string Check(string name, string origin) =>
        Problem(name) is { } problem ? throw CliException.Usage($"{origin}: '{name}' is not a valid S3 bucket name: {problem}", Rule) : name;

    /// <summary>What is wrong with <paramref name="name"/>, or null when S3 accepts it.</summary>
    public static string? Problem(string name)
    {
        if (name.Length is < 3 or > 63) return $"it has {name.Length} characters";
        if (name.Any(char.IsAsciiLetterUpper)) return "it has upper-case letters";
        if (name.FirstOrDefault(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')) is var bad and not '\0')
            return $"'{bad}' is not allowed";
        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1])) return "it must start and end with a letter or digit";
        if (name.Contains("..", StringComparison.Ordinal)) return "it has two periods in a row";
        if (IPAddress.TryParse(name, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && name.Count(c => c == '.') == 3)
            return "it is written as an IP address";
        if (name.StartsWith("xn--", StringComparison.Ordinal) || name.StartsWith("sthree-", StringComparison.Ordinal))
            return "the prefixes xn-- and sthree- are reserved";
        if (name.EndsWith("-s3alias", StringComparison.Ordinal) || name.EndsWith("--ol-s3", StringComparison.Ordinal))
            return "the suffixes -s3alias and --ol-s3 are reserved";
        return null;
    }
}
