using Amazon.S3;
using Amazon.S3.Model;

namespace Recorder.Storage;

/// <summary>Reads <see cref="BucketSettings"/>: one request per setting; a refusal is recorded, not thrown.</summary>
public static class BucketSettingsReader
{
    public static async Task<BucketSettings> ReadAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task<T?> Ask<T>(string name, Func<Task<T>> call, params string[] meansNone) where T : class
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (meansNone.Contains(e.ErrorCode))
            {
                return null;
            }
            catch (AmazonS3Exception e)
            {
                errors[name] = $"{(int)e.StatusCode} {(string.IsNullOrEmpty(e.ErrorCode) ? "(no error code)" : e.ErrorCode)}";
                return null;
            }
        }

        var versioning = await Ask("versioning", () => s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, cancellationToken));
        var lockConfig = await Ask("object-lock", () => s3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket }, cancellationToken),
            "ObjectLockConfigurationNotFoundError");
        var policy = await Ask("policy", () => s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket }, cancellationToken), "NoSuchBucketPolicy");
        var pab = await Ask("public-access-block", () => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, cancellationToken),
            "NoSuchPublicAccessBlockConfiguration");
        var lifecycle = await Ask("lifecycle", () => s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket }, cancellationToken),
            "NoSuchLifecycleConfiguration");
        var encryption = await Ask("encryption", () => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, cancellationToken),
            "ServerSideEncryptionConfigurationNotFoundError");

        var rule = lockConfig?.ObjectLockConfiguration?.Rule?.DefaultRetention;
        var abortDays = lifecycle?.Configuration?.Rules?
            .Where(r => r.Status == LifecycleRuleStatus.Enabled && r.AbortIncompleteMultipartUpload?.DaysAfterInitiation is > 0)
            .Select(r => r.AbortIncompleteMultipartUpload.DaysAfterInitiation!.Value).DefaultIfEmpty(-1).Min();
        return new BucketSettings
        {
            Versioning = errors.ContainsKey("versioning") ? null : versioning?.VersioningConfig?.Status?.Value ?? "Off",
            ObjectLockEnabled = errors.ContainsKey("object-lock") ? null : lockConfig?.ObjectLockConfiguration?.ObjectLockEnabled == ObjectLockEnabled.Enabled,
            DefaultRetentionMode = rule?.Mode?.Value,
            DefaultRetentionDays = rule?.Days is > 0 ? rule.Days : rule?.Years is > 0 ? rule.Years * 365 : null,
            Policy = errors.ContainsKey("policy") ? null : policy?.Policy ?? "",
            PublicAccessBlock = pab?.PublicAccessBlockConfiguration is { } c
                ? new Dictionary<string, bool>
                {
                    ["BlockPublicAcls"] = c.BlockPublicAcls ?? false,
                    ["IgnorePublicAcls"] = c.IgnorePublicAcls ?? false,
                    ["BlockPublicPolicy"] = c.BlockPublicPolicy ?? false,
                    ["RestrictPublicBuckets"] = c.RestrictPublicBuckets ?? false,
                }
                : null,
            AbortIncompleteUploadDays = errors.ContainsKey("lifecycle") ? null : abortDays ?? -1,
            DefaultEncryption = errors.ContainsKey("encryption") ? null
                : encryption?.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?
                    .Select(r => r.ServerSideEncryptionByDefault?.ServerSideEncryptionAlgorithm?.Value).OfType<string>().ToArray() ?? [],
            Errors = errors,
        };
    }
}
