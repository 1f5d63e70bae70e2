using System.Globalization;
using Recorder.Crypto.Signing;

namespace Recorder.Pipeline.Audit;

/// <summary>
/// The signing keys an auditor trusts (<c>recorder verify --trust FILE</c>): an OpenSSH public key file
/// (<c>recorder.pub</c>: trusted at any time) or an OpenSSH <c>allowed_signers</c> file — the file
/// <c>ssh-keygen -Y verify -f</c> reads — whose <c>valid-after</c>/<c>valid-before</c> options give each key the
/// period it signs for (key rotation: the old key's line gets a <c>valid-before</c>, the new one's a
/// <c>valid-after</c>). Times are UTC (<c>YYYYMMDD[HHMM[SS]]</c>, an optional trailing <c>Z</c>).
/// </summary>
public sealed class TrustedSigners
{
    private readonly List<TrustedSigner> _signers;

    private TrustedSigners(List<TrustedSigner> signers) => _signers = signers;

    public IReadOnlyList<TrustedSigner> Signers => _signers;

    public static TrustedSigners Load(string path) => Parse(File.ReadAllText(path), path);

    public static TrustedSigners Parse(string text, string source = "the trust file")
    {
        var signers = new List<TrustedSigner>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            try
            {
                signers.Add(ParseLine(line));
            }
            catch (FormatException e)
            {
                throw new FormatException($"{source} line {lineNumber}: {e.Message}", e);
            }
        }
        return signers.Count > 0
            ? new TrustedSigners(signers)
            : throw new FormatException($"{source} names no key (expected an ssh-ed25519 public key line, or allowed_signers lines)");
    }

    /// <summary>Why <paramref name="key"/> is not trusted for a signature made at <paramref name="at"/>, or null when it is.</summary>
    public string? Distrust(SshEd25519PublicKey key, DateTimeOffset at)
    {
        var matching = _signers.Where(s => s.Key.Equals(key)).ToList();
        if (matching.Count == 0) return $"the signing key {key.Fingerprint} is not among the trusted keys";
        if (matching.Any(s => s.ValidAt(at))) return null;
        var periods = string.Join(", ", matching.Select(s => s.Period));
        return $"the signing key {key.Fingerprint} is trusted only {periods}, and this was signed at {at:yyyy-MM-dd HH:mm:ss}Z";
    }

    private static TrustedSigner ParseLine(string line)
    {
        var fields = SplitFields(line);
        var keyAt = fields.FindIndex(f => f.StartsWith("ssh-", StringComparison.Ordinal) || f.StartsWith("ecdsa-", StringComparison.Ordinal));
        if (keyAt < 0 || keyAt + 1 >= fields.Count) throw new FormatException("expected '[principals [options]] ssh-ed25519 BASE64 [comment]'");
        var key = SshEd25519PublicKey.Parse(string.Join(' ', fields.Skip(keyAt)));
        DateTimeOffset? after = null, before = null;
        if (keyAt == 2)
        {
            foreach (var option in SplitOptions(fields[1]))
            {
                var (name, value) = option.Split('=', 2) is [var n, var v] ? (n.ToLowerInvariant(), v.Trim('"')) : (option.ToLowerInvariant(), "");
                if (name == "valid-after") after = ParseTime(value);
                else if (name == "valid-before") before = ParseTime(value);
            }
        }
        else if (keyAt > 2)
        {
            throw new FormatException("expected '[principals [options]] ssh-ed25519 BASE64 [comment]'");
        }
        return new TrustedSigner(key, keyAt > 0 ? fields[0] : null, after, before);
    }

    private static DateTimeOffset ParseTime(string text)
    {
        var t = text.TrimEnd('Z', 'z');
        string[] formats = ["yyyyMMdd", "yyyyMMddHHmm", "yyyyMMddHHmmss"];
        return DateTimeOffset.TryParseExact(t, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new FormatException($"'{text}' is not a time: expected YYYYMMDD[HHMM[SS]][Z]");
    }

    /// <summary>Whitespace-separated fields, where double quotes keep spaces inside an option value.</summary>
    private static List<string> SplitFields(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            if (!quoted && char.IsWhiteSpace(c))
            {
                if (current.Length > 0) fields.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0) fields.Add(current.ToString());
        return fields;
    }

    private static IEnumerable<string> SplitOptions(string options)
    {
        var quoted = false;
        var start = 0;
        for (var i = 0; i < options.Length; i++)
        {
            if (options[i] == '"') quoted = !quoted;
            if (options[i] == ',' && !quoted)
            {
                yield return options[start..i];
                start = i + 1;
            }
        }
        yield return options[start..];
    }
}

/// <summary>One trusted key, the principal an <c>allowed_signers</c> line names for it, and the period it may sign in.</summary>
public sealed record TrustedSigner(SshEd25519PublicKey Key, string? Principal, DateTimeOffset? ValidAfter, DateTimeOffset? ValidBefore)
{
    public bool ValidAt(DateTimeOffset at) => (ValidAfter is not { } after || at >= after) && (ValidBefore is not { } before || at < before);

    public string Period => (ValidAfter, ValidBefore) switch
    {
        (null, null) => "at any time",
        ({ } a, null) => $"from {a:yyyy-MM-dd HH:mm:ss}Z",
        (null, { } b) => $"before {b:yyyy-MM-dd HH:mm:ss}Z",
        ({ } a, { } b) => $"from {a:yyyy-MM-dd HH:mm:ss}Z to {b:yyyy-MM-dd HH:mm:ss}Z",
    };
}
