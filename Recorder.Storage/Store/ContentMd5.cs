using System.Buffers;
using System.Security.Cryptography;

namespace Recorder.Storage;

/// <summary>Content-MD5 values and the multipart ETag S3 derives from them.</summary>
public static class ContentMd5
{
    /// <summary>Base64 MD5 of <paramref name="content"/>, as the Content-MD5 header carries it.</summary>
    public static string Of(ReadOnlySpan<byte> content) => Convert.ToBase64String(MD5.HashData(content));

    /// <summary>
    /// The ETag S3 gives an object stored by one PUT without SSE-KMS or SSE-C: hex MD5 in quotes. Lets a writer
    /// whose PUT was retried recognise its own bytes among a key's versions.
    /// </summary>
    public static string SinglePartETag(ReadOnlySpan<byte> content) => $"\"{Convert.ToHexStringLower(MD5.HashData(content))}\"";

    /// <summary>Base64 MD5 of a part held in several blocks.</summary>
    public static string Of(in ReadOnlySequence<byte> content)
    {
        if (content.IsSingleSegment) return Of(content.FirstSpan);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var segment in content) md5.AppendData(segment.Span);
        return Convert.ToBase64String(md5.GetHashAndReset());
    }

    /// <summary>
    /// The ETag S3 gives a multipart object: hex MD5 of the concatenated binary
    /// part MD5s, a dash and the part count, in quotes. Lets a retried
    /// completion whose first answer was lost check that the object that now
    /// exists is the one it completed.
    /// </summary>
    public static string MultipartETag(IReadOnlyList<string> partContentMd5s)
    {
        var concatenated = new byte[partContentMd5s.Count * 16];
        for (var i = 0; i < partContentMd5s.Count; i++)
            Convert.FromBase64String(partContentMd5s[i]).CopyTo(concatenated, i * 16);
        return $"\"{Convert.ToHexStringLower(MD5.HashData(concatenated))}-{partContentMd5s.Count}\"";
    }
}
