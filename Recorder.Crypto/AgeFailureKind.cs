namespace Recorder.Crypto;

/// <summary>Where an age file was found corrupted or tampered with.</summary>
public enum AgeFailureKind
{
    /// <summary>The header is malformed, of an unsupported version, or a stanza for this identity is invalid.</summary>
    Header,

    /// <summary>The header MAC does not match: the header was changed after it was written.</summary>
    HeaderMac,

    /// <summary>A payload chunk does not authenticate, is missing, or data follows the final chunk.</summary>
    Payload,
}
