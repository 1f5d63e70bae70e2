namespace Recorder.Cli.S3;

/// <summary>An <c>s3://bucket/key</c> argument.</summary>
public sealed record S3Uri(string Bucket, string Key)
{
    public const string Scheme = "s3://";

    /// <summary>
    /// True for anything written as an S3 location, mistyped ones included (<c>s3:/b/k</c>,
    /// <c>S3://b/k</c>): <see cref="Parse"/> then refuses them as a usage error, rather
    /// than a "no such file" for a local path nobody meant.
    /// </summary>
    public static bool IsS3(string text) => text.StartsWith("s3:", StringComparison.OrdinalIgnoreCase);

    public static S3Uri Parse(string text)
    {
        var slash = text.StartsWith(Scheme, StringComparison.Ordinal) ? text.IndexOf('/', Scheme.Length) : -1;
        if (slash <= Scheme.Length || slash == text.Length - 1)
            throw CliException.Usage($"'{text}' is not an s3://bucket/key location", "e.g. s3://recordings/host-1/talk.mp4.age");
        return new S3Uri(S3BucketName.Check(text[Scheme.Length..slash], text), text[(slash + 1)..]);
    }

    public override string ToString() => $"{Scheme}{Bucket}/{Key}";
}
