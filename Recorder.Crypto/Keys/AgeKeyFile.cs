using System.Globalization;
using Recorder.Crypto.Recipients;

namespace Recorder.Crypto.Keys;

/// <summary>
/// Identity and recipient files in age-keygen's format: one key per line,
/// <c>#</c> comments and blank lines ignored, several keys per file.
/// </summary>
public static class AgeKeyFile
{
    /// <summary>Reads every identity; the caller disposes them. Errors name the line, never its content.</summary>
    public static IReadOnlyList<X25519Identity> ReadIdentities(TextReader reader)
    {
        var identities = new List<X25519Identity>();
        try
        {
            foreach (var (number, line) in KeyLines(reader))
            {
                if (line.StartsWith("AGE-PLUGIN-", StringComparison.Ordinal))
                    throw new FormatException($"line {number}: age plugin identities are not supported");
                try
                {
                    identities.Add(X25519Identity.Parse(line));
                }
                catch (FormatException)
                {
                    throw new FormatException($"line {number}: not a valid age X25519 identity (AGE-SECRET-KEY-1…)");
                }
            }
        }
        catch
        {
            foreach (var identity in identities) identity.Dispose();
            throw;
        }
        if (identities.Count == 0) throw new FormatException("no identities found");
        return identities;
    }

    public static IReadOnlyList<X25519Identity> ReadIdentities(string path)
    {
        using var reader = new StreamReader(path);
        return ReadIdentities(reader);
    }

    /// <summary>Reads every <c>age1…</c> recipient of a recipients file.</summary>
    public static IReadOnlyList<X25519Recipient> ReadRecipients(TextReader reader)
    {
        var recipients = new List<X25519Recipient>();
        foreach (var (number, line) in KeyLines(reader))
        {
            if (!X25519Recipient.TryParse(line, out var recipient))
                throw new FormatException($"line {number}: not a valid age X25519 recipient (age1…)");
            recipients.Add(recipient);
        }
        if (recipients.Count == 0) throw new FormatException("no recipients found");
        return recipients;
    }

    /// <summary>Writes an identity as age-keygen does: created time, public key comment, secret key line.</summary>
    public static void WriteIdentity(TextWriter writer, X25519Identity identity, DateTimeOffset created)
    {
        writer.Write($"# created: {created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\n");
        writer.Write($"# public key: {identity.Recipient}\n");
        writer.Write(identity.EncodeSecret());
        writer.Write('\n');
    }

    /// <summary>Writes recipients one per line, each after a comment if one is given.</summary>
    public static void WriteRecipients(TextWriter writer, IEnumerable<(X25519Recipient Recipient, string? Comment)> recipients)
    {
        foreach (var (recipient, comment) in recipients)
        {
            if (comment is not null) writer.Write($"# {comment.ReplaceLineEndings(" ")}\n");
            writer.Write($"{recipient}\n");
        }
    }

    /// <summary>
    /// True when group or others may read or write the file (Unix only), which
    /// deserves a warning for an identity file.
    /// </summary>
    public static bool HasLoosePermissions(string path)
    {
        if (OperatingSystem.IsWindows()) return false;
        const UnixFileMode loose = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                   UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & loose) != 0;
    }

    private static IEnumerable<(int Number, string Line)> KeyLines(TextReader reader)
    {
        var number = 0;
        while (reader.ReadLine() is { } raw)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            yield return (number, line);
        }
    }
}
