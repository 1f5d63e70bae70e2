using System.Text;
using Recorder.Crypto.Signing;
using Recorder.Pipeline.Signing;
using Recorder.Storage;

namespace Recorder.Pipeline.Audit;

/// <summary>
/// Checks one recording as an auditor can, without any key: the manifest's SSHSIG signature and who made it, and
/// for every segment (or the one asked for) that the stored ciphertext hashes to the manifest's SHA-256 and size and
/// that its age header names the manifest's recipients. With identities it also decrypts every segment
/// (authenticated) and probes the media against the manifest. Findings, not exceptions, report what does not hold;
/// exceptions are for what stops the check itself (S3 unreachable, a key that opens nothing).
/// </summary>
public sealed partial class RecordingVerifier(IObjectStore store, VerifyOptions options)
{
    public const string ManifestName = "manifest.json";
    private const long MaxManifestBytes = 16 * 1024 * 1024;

    /// <summary>Verifies the recording that <paramref name="source"/> belongs to: its manifest, or one of its segments (then only that segment).</summary>
    public async Task<RecordingVerification> VerifyAsync(ObjectLocation source, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var fileName = source.Key[source.Folder.Length..];
        var isManifest = fileName == ManifestName;
        if (!isManifest && !fileName.EndsWith(".mp4.age", StringComparison.Ordinal))
            throw new ArgumentException($"{source} is neither a recording's manifest.json nor one of its segment-NNNN.mp4.age", nameof(source));
        var manifestLocation = isManifest ? source : source with { Key = source.Folder + ManifestName };
        var findings = new List<AuditFinding>();

        var manifestBytes = await ReadSmallAsync(manifestLocation, cancellationToken).ConfigureAwait(false);
        if (manifestBytes is null)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.ManifestMissing, manifestLocation.ToString(),
                isManifest ? "there is no such manifest" : $"the segment {source} has no manifest beside it",
                $"aws s3 ls {ObjectLocation.Scheme}{source.Bucket}/{source.Folder}"));
            return new RecordingVerification(manifestLocation.ToString(), null, null, new ManifestSignatureFacts("unsigned", null, null), [], findings);
        }
        RecordingManifest manifest;
        try
        {
            manifest = RecordingManifest.Parse(manifestBytes);
        }
        catch (System.Text.Json.JsonException e)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.ManifestMalformed, manifestLocation.ToString(), $"not a recorder manifest: {e.Message}",
                $"aws s3 cp {manifestLocation} - | jq ."));
            return new RecordingVerification(manifestLocation.ToString(), null, null, new ManifestSignatureFacts("unsigned", null, null), [], findings);
        }

        var signature = await CheckSignatureAsync(manifestLocation, manifest, manifestBytes, findings, cancellationToken).ConfigureAwait(false);
        progress?.Report($"{manifestLocation}: recording {manifest.RecordingId}, {manifest.Segments.Count} segment(s), signature {Describe(signature)}");

        var segments = new List<SegmentFacts>();
        foreach (var segment in manifest.Segments)
        {
            if (!isManifest && segment.Location != source.ToString()) continue;
            segments.Add(await CheckSegmentAsync(manifestLocation, manifest, segment, findings, progress, cancellationToken).ConfigureAwait(false));
        }
        foreach (var gap in manifest.Segments.Where(s => s.GapBeforeSeconds > 0.5 && (isManifest || s.Location == source.ToString())))
        {
            findings.Add(FindingCodes.Finding(FindingCodes.RecordingGap, gap.Location, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{gap.GapBeforeSeconds:0.0} s of media are missing before segment {gap.Number} (its worker was replaced)"),
                $"aws s3 cp {manifestLocation} - | jq '.segments[] | {{number, gapBeforeSeconds}}'"));
        }
        if (!isManifest && segments.Count == 0)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.ManifestMissing, source.ToString(),
                $"the manifest beside it ({manifestLocation}) does not list this segment", $"aws s3 cp {manifestLocation} - | jq '.segments[].location'"));
        }
        var result = new RecordingVerification(manifestLocation.ToString(), manifest.RecordingId, manifest.HostId, signature, segments, findings);
        if (!options.CheckAuditLog) return result;
        var log = await new Log.AuditLogVerifier(store, manifestLocation.Bucket, PrefixOf(manifestLocation), options.Trust).CheckAsync(progress, cancellationToken)
            .ConfigureAwait(false);
        findings.AddRange(log.Findings.Where(f => f.Code != FindingCodes.LogNotCheckpointed));
        var events = log.EventsByRecording.TryGetValue(manifest.RecordingId, out var mine) ? mine : [];
        findings.AddRange(LogCrossCheck.Check(result, events));
        progress?.Report($"audit log: {log.Entries} entries, {events.Count} of them about {manifest.RecordingId}");
        return result with { AuditEvents = events };
    }

    private static string Describe(ManifestSignatureFacts s) => s.Status switch
    {
        "signed" => $"good, by {s.Signer} ({s.Trust})",
        "invalid" => $"INVALID (by {s.Signer ?? "an unreadable key"})",
        _ => "none (unsigned)",
    };

    private async Task<ManifestSignatureFacts> CheckSignatureAsync(ObjectLocation manifestLocation, RecordingManifest manifest, byte[] manifestBytes,
        List<AuditFinding> findings, CancellationToken cancellationToken)
    {
        var sigLocation = manifestLocation with { Key = manifestLocation.Key + ManifestSigner.SignatureSuffix };
        var reproduce = $"aws s3 cp {manifestLocation} manifest.json && aws s3 cp {sigLocation} manifest.json.sig && "
            + $"ssh-keygen -Y verify -f allowed_signers -I recorder -n {ManifestSigner.Namespace} -s manifest.json.sig < manifest.json";
        var sigBytes = await ReadSmallAsync(sigLocation, cancellationToken).ConfigureAwait(false);
        if (sigBytes is null)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.ManifestUnsigned, manifestLocation.ToString(),
                "the manifest has no signature (manifest.json.sig): it was recorded without a signing key, or the signature was removed; nothing proves who wrote it",
                $"aws s3 ls {sigLocation}"));
            return new ManifestSignatureFacts("unsigned", null, null);
        }
        var check = SshSignature.Verify(Encoding.ASCII.GetString(sigBytes), ManifestSigner.Namespace, manifestBytes);
        if (!check.Valid)
        {
            findings.Add(FindingCodes.Finding(FindingCodes.SignatureInvalid, manifestLocation.ToString(), check.Problem ?? "the signature does not verify", reproduce));
            return new ManifestSignatureFacts("invalid", check.Signer?.Fingerprint, null);
        }
        var signer = check.Signer!;
        var signedAt = SignedAt(manifest);
        if (options.Trust is { } trust)
        {
            if (trust.Distrust(signer, signedAt) is { } why)
            {
                findings.Add(FindingCodes.Finding(FindingCodes.SignerUntrusted, manifestLocation.ToString(), $"the signature is good, but {why}", reproduce));
                return new ManifestSignatureFacts("signed", signer.Fingerprint, "untrusted");
            }
            return new ManifestSignatureFacts("signed", signer.Fingerprint, "trusted");
        }
        var published = manifestLocation with { Key = SigningKeyDirectory.Key(PrefixOf(manifestLocation), signer) };
        var publishedBytes = await ReadSmallAsync(published, cancellationToken).ConfigureAwait(false);
        if (publishedBytes is not null && TryParseKey(publishedBytes) is { } key && key.Equals(signer))
        {
            findings.Add(FindingCodes.Finding(FindingCodes.SignerOnlyInBucket, manifestLocation.ToString(),
                $"signed by {signer.Fingerprint}, a key found only in the bucket ({published}): anyone who can write the bucket could have put it there; "
                + "give --trust FILE (the recorder's public key or an allowed_signers file) to decide which keys to trust", reproduce));
            return new ManifestSignatureFacts("signed", signer.Fingerprint, "bucket-only");
        }
        findings.Add(FindingCodes.Finding(FindingCodes.SignerUntrusted, manifestLocation.ToString(),
            $"the signature is good, but its key {signer.Fingerprint} is neither given with --trust nor published in the bucket", reproduce));
        return new ManifestSignatureFacts("signed", signer.Fingerprint, "untrusted");
    }

    /// <summary>When the manifest was last signed, as it says: for key rotation, which key was valid then.</summary>
    private static DateTimeOffset SignedAt(RecordingManifest manifest) =>
        manifest.EndedAt ?? manifest.OpenSegments?.Max(o => (DateTimeOffset?)o.CheckpointAt)
        ?? manifest.Segments.Select(s => (DateTimeOffset?)s.EndedAt).Max() ?? manifest.StartedAt;

    /// <summary>The bucket prefix of a manifest at <c>{prefix}{host}/{meeting}/{recording}/manifest.json</c>.</summary>
    internal static string PrefixOf(ObjectLocation manifest)
    {
        var parts = manifest.Key.Split('/');
        return parts.Length > 4 ? string.Join('/', parts[..^4]) + "/" : "";
    }

    private static SshEd25519PublicKey? TryParseKey(byte[] bytes)
    {
        try
        {
            return SshEd25519PublicKey.Parse(Encoding.ASCII.GetString(bytes).Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A small object's bytes, or null when there is none.</summary>
    private async Task<byte[]?> ReadSmallAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        var head = await store.HeadObjectAsync(location.Bucket, location.Key, cancellationToken).ConfigureAwait(false);
        if (head is null) return null;
        if (head.SizeBytes > MaxManifestBytes) throw new InvalidDataException($"{location} is {head.SizeBytes} bytes: too large for a manifest or signature");
        return await store.ReadAllAsync(location.Bucket, location.Key, head.SizeBytes, head.ETag, cancellationToken).ConfigureAwait(false);
    }
}
