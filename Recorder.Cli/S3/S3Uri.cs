namespace Recorder.Cli.S3;

/// <summary>An <c>s3://bucket/key</c> argument.</summary>
public sealed record S3Uri(string Bucket, string Key)
{
    public const string Scheme = "s3://";

    public static bool IsS3(string text) => text.StartsWith(Scheme, StringComparison.Ordinal);

    public static S3Uri Parse(string text)
    {
        var rest = text[Scheme.Length..];
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
            throw CliException.Usage($"'{text}' is not an s3://bucket/key location");
        return new S3Uri(rest[..slash], rest[(slash + 1)..]);
    }

    public override string ToString() => $"{Scheme}{Bucket}/{Key}";
}
