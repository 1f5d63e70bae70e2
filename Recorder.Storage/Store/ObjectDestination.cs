namespace Recorder.Storage;

/// <summary>
/// Where an object goes and what it carries: user metadata (x-amz-meta-*,
/// fixed at creation) and tags (changeable later, which is how recovery marks
/// a truncated object). Keys of both are case-insensitive on S3; use
/// lower-case ASCII names such as <c>recording-id</c>.
/// </summary>
public sealed record ObjectDestination
{
    /// <summary>S3 allows 10 tags per object; one is kept for <see cref="TruncatedTagName"/>.</summary>
    public const int MaxCallerTags = 9;

    /// <summary>The tag recovery sets (value <c>true</c>) on an object completed from a prefix of its parts.</summary>
    public const string TruncatedTagName = "recorder-truncated";

    public ObjectDestination(string bucket, string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (bucket.Length < 3)
            throw new ArgumentException($"bucket name '{bucket}' is shorter than 3 characters", nameof(bucket));
        Bucket = bucket;
        Key = key;
    }

    public string Bucket { get; }
    public string Key { get; }

    /// <summary>User metadata (recording id, segment, format, recipients' fingerprints).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Object tags; at most <see cref="MaxCallerTags"/>, names up to 128 and values up to 256 characters.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public string ContentType { get; init; } = "application/octet-stream";

    /// <summary>When set, SSE-KMS with this key id or ARN; a refused key is the destination's fault.</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>When set, the object is stored under Object Lock with this retention (the bucket must have Object Lock on).</summary>
    public ObjectRetention? Retention { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when metadata or tags break S3's limits.</summary>
    public void Validate()
    {
        if (Tags.Count > MaxCallerTags)
            throw new ArgumentException($"{Tags.Count} tags given; at most {MaxCallerTags} (S3 allows 10, one is kept for truncation)", nameof(Tags));
        foreach (var (name, value) in Tags)
        {
            if (name.Length is 0 or > 128 || value.Length > 256)
                throw new ArgumentException($"tag '{name}' breaks S3's limits (name 1-128, value up to 256 characters)", nameof(Tags));
            if (string.Equals(name, TruncatedTagName, StringComparison.Ordinal))
                throw new ArgumentException($"tag '{TruncatedTagName}' is reserved for recovery", nameof(Tags));
        }
        foreach (var name in Metadata.Keys)
        {
            if (name.Length == 0 || name.Any(c => c > 127 || char.IsWhiteSpace(c) || c == ':'))
                throw new ArgumentException($"metadata name '{name}' must be printable ASCII without spaces or ':'", nameof(Metadata));
        }
    }

    public override string ToString() => $"s3://{Bucket}/{Key}";
}
