using Recorder.Crypto.Recipients;

namespace Recorder.Crypto;

/// <summary>Recipients from the text users and configuration give.</summary>
public static class AgeRecipients
{
    /// <summary>
    /// <c>age1…</c> (X25519) or <c>kms:KEY</c> (an AWS KMS key ARN, id or alias;
    /// needs <paramref name="kms"/>). Throws <see cref="FormatException"/> for anything else.
    /// </summary>
    public static IRecipient Parse(string text, KmsRecipientOptions? kms = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.StartsWith(KmsRecipient.Prefix, StringComparison.Ordinal))
        {
            var keyId = KmsKeyId(text);
            if (kms is null) throw new ArgumentException("a KMS recipient needs KmsRecipientOptions (a KMS client)", nameof(kms));
            return new KmsRecipient(keyId, kms);
        }
        if (X25519Recipient.TryParse(text, out var x25519)) return x25519;
        if (text.StartsWith("age1", StringComparison.OrdinalIgnoreCase))
            throw new FormatException("not a valid age X25519 recipient: the age1… key is damaged or mistyped");
        throw new FormatException("unknown recipient type: expected age1… or kms:KEY-ARN");
    }

    /// <summary>
    /// Checks what <see cref="Parse"/> would accept without making a recipient
    /// (no KMS client needed) and returns the text trimmed; throws
    /// <see cref="FormatException"/> with the same messages.
    /// </summary>
    public static string Validate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.StartsWith(KmsRecipient.Prefix, StringComparison.Ordinal)) KmsKeyId(text);
        else Parse(text);
        return text;
    }

    private static string KmsKeyId(string text)
    {
        var keyId = text[KmsRecipient.Prefix.Length..];
        return keyId.Length > 0 && Format.AgeStanza.IsValidArgument(keyId)
            ? keyId
            : throw new FormatException("a KMS recipient is kms: followed by a key ARN, key id or alias");
    }
}
