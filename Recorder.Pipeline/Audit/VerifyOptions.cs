using Recorder.Crypto;

namespace Recorder.Pipeline.Audit;

/// <summary>How <see cref="RecordingVerifier"/> checks: whose signatures to trust, and, with identities, full decryption.</summary>
public sealed record VerifyOptions
{
    /// <summary>The trusted signing keys; null: a signer is accepted when the bucket publishes its key (and reported so).</summary>
    public TrustedSigners? Trust { get; init; }

    /// <summary>With identities, every segment is decrypted (authenticated) and its media probed; without, only the ciphertext is checked.</summary>
    public IReadOnlyList<IIdentity> Identities { get; init; } = [];

    public string FfprobePath { get; init; } = "ffprobe";

    /// <summary>Also read the bucket's audit log (the whole chain) and check the recording's events against its manifest.</summary>
    public bool CheckAuditLog { get; init; }

    /// <summary>
    /// How far the decrypted media's duration may be from the manifest's: the manifest counts from the first to the
    /// last frame fed to the encoder, ffprobe to the end of the last packet; they differ by a frame or two.
    /// </summary>
    public double DurationToleranceSeconds { get; init; } = 0.5;
}
