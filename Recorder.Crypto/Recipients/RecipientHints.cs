using Recorder.Crypto.Format;

namespace Recorder.Crypto.Recipients;

/// <summary>
/// The recipient-hint stanza, <c>-&gt; recorder-recipients FINGERPRINT…</c> with an
/// empty body. It tells auditors for whom a file was wrapped without any key;
/// the header MAC covers it, so it cannot be changed without the file key
/// (though only a key holder can check that). Other age implementations ignore it.
/// </summary>
internal static class RecipientHints
{
    public const string Type = "recorder-recipients";

    public static AgeStanza Create(IEnumerable<string> fingerprints)
    {
        var list = fingerprints.Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0) throw new ArgumentException("at least one fingerprint", nameof(fingerprints));
        return new AgeStanza(Type, list, ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>The fingerprints of every hint stanza in the header, in order.</summary>
    public static IReadOnlyList<string> Read(IEnumerable<AgeStanza> stanzas) =>
        stanzas.Where(s => s.Type == Type).SelectMany(s => s.Arguments).Distinct(StringComparer.Ordinal).ToArray();
}
