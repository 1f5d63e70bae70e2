using System.Text.Json;
using Recorder.Storage;

namespace Recorder.Pipeline.Audit;

/// <summary>
/// Judges a bucket's settings for an auditor: each passes, fails, or cannot be verified on this server — never a
/// pass on an answer that proves nothing (Ceph answers GetBucketEncryption with an empty 200 whether or not it
/// encrypts, and GetPublicAccessBlock with all-false when none is set). The policy is parsed, not taken from
/// GetBucketPolicyStatus (which Ceph gets wrong).
/// </summary>
public static class BucketSettingsEvaluator
{
    public static IReadOnlyList<BucketSettingCheck> Evaluate(string bucket, BucketSettings s)
    {
        string Err(string name) => s.Errors.TryGetValue(name, out var e) ? $"the server would not say ({e})" : "the server would not say";
        var api = $"aws s3api --endpoint-url $AWS_ENDPOINT_URL_S3";
        var checks = new List<BucketSettingCheck>
        {
            s.Versioning switch
            {
                null => new("versioning", SettingStatus.CannotVerify, Err("versioning"), $"{api} get-bucket-versioning --bucket {bucket}"),
                "Enabled" => new("versioning", SettingStatus.Pass, "enabled: an overwrite or delete keeps the earlier version", $"{api} get-bucket-versioning --bucket {bucket}"),
                var v => new("versioning", SettingStatus.Fail, $"{v}: an object can be overwritten or deleted without a trace", $"{api} get-bucket-versioning --bucket {bucket}"),
            },
            ObjectLock(bucket, s, api, Err("object-lock")),
        };
        checks.AddRange(PolicyChecks(bucket, s, api, Err("policy")));
        checks.Add(s.AbortIncompleteUploadDays switch
        {
            null => new("lifecycle-abort-incomplete-uploads", SettingStatus.CannotVerify, Err("lifecycle"), $"{api} get-bucket-lifecycle-configuration --bucket {bucket}"),
            > 0 and var d => new("lifecycle-abort-incomplete-uploads", SettingStatus.Pass, $"incomplete multipart uploads are aborted after {d} day(s)", $"{api} get-bucket-lifecycle-configuration --bucket {bucket}"),
            _ => new("lifecycle-abort-incomplete-uploads", SettingStatus.Fail, "no lifecycle rule aborts incomplete multipart uploads: their parts stay (and are billed) forever", $"{api} get-bucket-lifecycle-configuration --bucket {bucket}"),
        });
        checks.Add(s.DefaultEncryption switch
        {
            null => new("default-encryption", SettingStatus.CannotVerify, $"{Err("encryption")}; every segment is age-encrypted regardless", $"{api} get-bucket-encryption --bucket {bucket}"),
            { Count: 0 } => new("default-encryption", SettingStatus.CannotVerify,
                "the server reports no rule (Ceph answers so whether or not it encrypts: its answer proves nothing); every segment is age-encrypted regardless",
                $"{api} get-bucket-encryption --bucket {bucket}"),
            var rules => new("default-encryption", SettingStatus.Pass, $"server-side encryption by default: {string.Join(", ", rules)} (besides age)", $"{api} get-bucket-encryption --bucket {bucket}"),
        });
        return checks;
    }

    private static BucketSettingCheck ObjectLock(string bucket, BucketSettings s, string api, string error)
    {
        var command = $"{api} get-object-lock-configuration --bucket {bucket}";
        if (s.ObjectLockEnabled is null) return new("object-lock", SettingStatus.CannotVerify, error, command);
        if (s.ObjectLockEnabled == false) return new("object-lock", SettingStatus.Fail, "Object Lock is off: stored objects can be deleted by anyone allowed to delete", command);
        return s.DefaultRetentionMode is { } mode && s.DefaultRetentionDays is { } days
            ? new("object-lock", SettingStatus.Pass, $"Object Lock on, default retention {mode} {days} day(s)", command)
            : new("object-lock", SettingStatus.Fail, "Object Lock on, but no default retention: only objects given a retention (per host) are locked", command);
    }

    private static IEnumerable<BucketSettingCheck> PolicyChecks(string bucket, BucketSettings s, string api, string error)
    {
        var command = $"{api} get-bucket-policy --bucket {bucket} --query Policy --output text | jq .";
        if (s.Policy is null)
        {
            yield return new("policy-denies-non-tls", SettingStatus.CannotVerify, error, command);
            yield return new("no-public-access", SettingStatus.CannotVerify, error, command);
            yield break;
        }
        List<JsonElement> statements;
        try
        {
            statements = Statements(s.Policy);
        }
        catch (JsonException e)
        {
            statements = [];
            s = s with { Policy = "" };
            _ = e;
        }
        var denyTls = statements.Any(st => Is(st, "Effect", "Deny") && EveryoneIn(st) && DeniesPlainHttp(st));
        yield return denyTls
            ? new("policy-denies-non-tls", SettingStatus.Pass, "a Deny for everyone when aws:SecureTransport is false (or absent)", command)
            : new("policy-denies-non-tls", SettingStatus.Fail, s.Policy.Length == 0 ? "no bucket policy: plain-HTTP access is not denied" : "the policy has no Deny on aws:SecureTransport for everyone", command);

        var publicAllow = statements.FirstOrDefault(st => Is(st, "Effect", "Allow") && EveryoneIn(st) && !st.TryGetProperty("Condition", out _));
        if (publicAllow.ValueKind != JsonValueKind.Undefined)
        {
            yield return new("no-public-access", SettingStatus.Fail, $"the policy allows everyone (Principal \"*\") without a condition: {publicAllow.GetRawText()}", command);
            yield break;
        }
        var pab = s.PublicAccessBlock;
        yield return pab is not null && pab.Values.All(v => v)
            ? new("no-public-access", SettingStatus.Pass, "the policy grants nothing to everyone, and all four public access block flags are on", command)
            : new("no-public-access", SettingStatus.CannotVerify,
                "the policy grants nothing to everyone; the public access block is not fully on (Ceph reports all-false when none is set, and refuses every PUT with BlockPublicAcls), so object ACLs could still make an object public",
                $"{api} get-public-access-block --bucket {bucket}");
    }

    private static List<JsonElement> Statements(string policy)
    {
        if (policy.Length == 0) return [];
        using var doc = JsonDocument.Parse(policy);
        var statement = doc.RootElement.GetProperty("Statement");
        return statement.ValueKind == JsonValueKind.Array ? [.. statement.EnumerateArray().Select(e => e.Clone())] : [statement.Clone()];
    }

    private static bool Is(JsonElement st, string name, string value) =>
        st.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && string.Equals(v.GetString(), value, StringComparison.OrdinalIgnoreCase);

    private static bool EveryoneIn(JsonElement st)
    {
        if (!st.TryGetProperty("Principal", out var p)) return false;
        if (p.ValueKind == JsonValueKind.String) return p.GetString() == "*";
        return p.ValueKind == JsonValueKind.Object && p.TryGetProperty("AWS", out var aws) && Values(aws).Contains("*");
    }

    private static bool DeniesPlainHttp(JsonElement st)
    {
        if (!st.TryGetProperty("Condition", out var c) || c.ValueKind != JsonValueKind.Object) return false;
        if (!st.TryGetProperty("Action", out var a) || !Values(a).Any(x => x is "*" or "s3:*")) return false;
        bool Has(string op, string expected) =>
            c.EnumerateObject().Any(o => string.Equals(o.Name, op, StringComparison.OrdinalIgnoreCase) && o.Value.ValueKind == JsonValueKind.Object
                && o.Value.EnumerateObject().Any(k => string.Equals(k.Name, "aws:SecureTransport", StringComparison.OrdinalIgnoreCase)
                    && Values(k.Value).Any(v => string.Equals(v, expected, StringComparison.OrdinalIgnoreCase))));
        return Has("Bool", "false") || Has("Null", "true");
    }

    private static IEnumerable<string> Values(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Array => e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!),
        JsonValueKind.True => ["true"],
        JsonValueKind.False => ["false"],
        _ => [],
    };
}
