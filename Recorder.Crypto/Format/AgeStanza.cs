namespace Recorder.Crypto.Format;

/// <summary>
/// One recipient stanza of an age header: <c>-&gt; TYPE ARG…</c> and a body.
/// Bodies of recipient stanzas are wrapped file keys (ciphertext), never secrets.
/// </summary>
public sealed class AgeStanza
{
    public AgeStanza(string type, IReadOnlyList<string> arguments, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(arguments);
        if (!IsValidArgument(type)) throw new ArgumentException("a stanza type is one or more printable ASCII characters", nameof(type));
        foreach (var a in arguments)
            if (!IsValidArgument(a)) throw new ArgumentException("a stanza argument is one or more printable ASCII characters", nameof(arguments));
        Type = type;
        Arguments = arguments.ToArray();
        Body = body.ToArray();
    }

    public string Type { get; }

    /// <summary>The arguments after the type.</summary>
    public IReadOnlyList<string> Arguments { get; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Non-empty and every character in 0x21..0x7E (the age spec's VCHAR).</summary>
    public static bool IsValidArgument(string value)
    {
        if (value.Length == 0) return false;
        foreach (var c in value)
            if (c < 0x21 || c > 0x7e) return false;
        return true;
    }

    public override string ToString() => $"-> {Type} {string.Join(' ', Arguments)} ({Body.Length}-byte body)";
}
