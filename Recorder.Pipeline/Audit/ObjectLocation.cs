namespace Recorder.Pipeline.Audit;

/// <summary>A bucket and key, written <c>s3://bucket/key</c> in manifests, findings and reports.</summary>
public sealed record ObjectLocation(string Bucket, string Key)
{
    public const string Scheme = "s3://";

    public static bool TryParse(string text, out ObjectLocation location)
    {
        location = null!;
        if (!text.StartsWith(Scheme, StringComparison.Ordinal)) return false;
        var rest = text[Scheme.Length..];
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1) return false;
        location = new ObjectLocation(rest[..slash], rest[(slash + 1)..]);
        return true;
    }

    /// <summary>The folder the object is in (with its trailing slash), or "" at the top.</summary>
    public string Folder => Key.LastIndexOf('/') is var slash and >= 0 ? Key[..(slash + 1)] : "";

    public override string ToString() => $"{Scheme}{Bucket}/{Key}";
}
