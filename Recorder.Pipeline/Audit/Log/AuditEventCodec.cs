using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Recorder.Crypto.Signing;
using Recorder.Pipeline.Signing;
using Recorder.Storage;

namespace Recorder.Pipeline.Audit.Log;

/// <summary>
/// An audit event as stored: canonical JSON (<see cref="CanonicalJson"/>) of the event's fields plus <c>v</c> (1),
/// <c>index</c> (its place in the log), <c>prev</c> (hex SHA-256 of the previous entry's stored bytes; 64 zeros for
/// the first), <c>lost</c> (this writer's own versions that lost a race for an earlier index, so an auditor can
/// tell them from rewrites), <c>key</c> (the signer's raw Ed25519 public key, base64) and <c>sig</c>: Ed25519 over
/// <c>"recorder-audit-event/v1\n"</c> followed by the canonical JSON of everything but <c>sig</c>.
/// </summary>
public static class AuditEventCodec
{
    public const int Version = 1;
    public static readonly string Genesis = new('0', 64);
    private static readonly byte[] SignatureContext = "recorder-audit-event/v1\n"u8.ToArray();

    public static string Hash(ReadOnlySpan<byte> entry) => Convert.ToHexStringLower(SHA256.HashData(entry));

    public static byte[] Encode(AuditEvent e, long index, string previousHash, IReadOnlyList<LostAppendAttempt> lost, ManifestSigner? signer)
    {
        var members = Members(e, index, previousHash, lost);
        if (signer is null) return CanonicalJson.Write(members);
        members.Add(new("key", Convert.ToBase64String(signer.PublicKey.Key.Span)));
        var signature = signer.SignRaw([.. SignatureContext, .. CanonicalJson.Write(members)]);
        members.Add(new("sig", Convert.ToBase64String(signature)));
        return CanonicalJson.Write(members);
    }

    private static List<KeyValuePair<string, object>> Members(AuditEvent e, long index, string previousHash, IReadOnlyList<LostAppendAttempt> lost)
    {
        var m = new List<KeyValuePair<string, object>>
        {
            new("v", (long)Version),
            new("index", index),
            new("prev", previousHash),
            new("type", e.Type),
            new("time", e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        };
        void Add(string name, object? value)
        {
            if (value is not null) m.Add(new(name, value));
        }
        Add("host", e.HostId);
        Add("recording", e.RecordingId);
        Add("worker", e.Worker);
        Add("segment", e.Segment is { } s ? (long)s : null);
        Add("object", e.Object);
        Add("bytes", e.Bytes);
        Add("sha256", e.Sha256);
        Add("detail", e.Detail);
        Add("days", e.Days);
        Add("epoch", e.LeaseEpoch);
        if (lost.Count > 0)
        {
            Add("lost", lost.Select(l => (object)new List<KeyValuePair<string, object>>
            {
                new("index", l.Index), new("key", l.Key), new("version", l.VersionId),
            }).ToList());
        }
        return m;
    }

    /// <summary>Reads a stored entry; never throws for bad content (a malformed entry is <see cref="DecodedAuditEvent.Problem"/>).</summary>
    public static DecodedAuditEvent Decode(byte[] stored)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stored);
        }
        catch (JsonException e)
        {
            return DecodedAuditEvent.Malformed($"not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            try
            {
                if (root.ValueKind != JsonValueKind.Object) return DecodedAuditEvent.Malformed("not a JSON object");
                if (Int(root, "v") != Version) return DecodedAuditEvent.Malformed($"unknown version {Str(root, "v") ?? "(none)"}");
                var canonical = CanonicalJson.IsCanonical(stored, root);
                var e = new AuditEvent
                {
                    Type = Str(root, "type") ?? throw new FormatException("no type"),
                    Time = DateTimeOffset.Parse(Str(root, "time") ?? throw new FormatException("no time"), CultureInfo.InvariantCulture),
                    HostId = Str(root, "host"),
                    RecordingId = Str(root, "recording"),
                    Worker = Str(root, "worker"),
                    Segment = Int(root, "segment") is { } s ? (int)s : null,
                    Object = Str(root, "object"),
                    Bytes = Int(root, "bytes"),
                    Sha256 = Str(root, "sha256"),
                    Detail = Str(root, "detail"),
                    Days = Int(root, "days"),
                    LeaseEpoch = Int(root, "epoch"),
                };
                var lost = root.TryGetProperty("lost", out var l) && l.ValueKind == JsonValueKind.Array
                    ? l.EnumerateArray().Select(x => new LostAppendAttempt(Int(x, "index") ?? -1, Str(x, "key") ?? "", Str(x, "version") ?? "")).ToArray()
                    : [];
                var (status, key) = CheckSignature(root);
                return new DecodedAuditEvent(Int(root, "index") ?? -1, Str(root, "prev") ?? "", e, lost, key, status, canonical, null);
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
            {
                return DecodedAuditEvent.Malformed(ex.Message);
            }
        }
    }

    private static (string Status, SshEd25519PublicKey? Key) CheckSignature(JsonElement root)
    {
        if (!root.TryGetProperty("sig", out var sig)) return ("unsigned", null);
        var keyText = Str(root, "key");
        if (keyText is null) return ("invalid", null);
        var key = SshEd25519PublicKey.FromRaw(Convert.FromBase64String(keyText));
        var signed = CanonicalJson.Write(CanonicalJson.Members(root).Where(m => m.Key != "sig"));
        var ok = key.VerifyRaw([.. SignatureContext, .. signed], Convert.FromBase64String(sig.GetString() ?? ""));
        return (ok ? "valid" : "invalid", key);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) ? p.ValueKind == JsonValueKind.String ? p.GetString() : p.GetRawText() : null;

    private static long? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt64(out var v) ? v : null;
}

/// <summary>
/// A stored audit entry as read: its stated index and previous hash, the event, the lost attempts it claims, its
/// signer and signature status (<c>valid</c>, <c>unsigned</c>, <c>invalid</c>), whether its bytes are canonical,
/// or why it could not be read at all.
/// </summary>
public sealed record DecodedAuditEvent(
    long Index, string Previous, AuditEvent? Event, IReadOnlyList<LostAppendAttempt> Lost, SshEd25519PublicKey? Signer,
    string SignatureStatus, bool Canonical, string? Problem)
{
    internal static DecodedAuditEvent Malformed(string problem) => new(-1, "", null, [], null, "invalid", false, problem);
}
