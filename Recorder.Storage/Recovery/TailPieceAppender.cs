namespace Recorder.Storage;

/// <summary>
/// Recovery's use of <see cref="TailPieces"/>: the parts S3 does not have,
/// after the ones it has without a gap, are made from the pieces their writer
/// stored (each part from offset 0 on, without a hole) and uploaded, so the
/// truncated object ends where the last piece did rather than at the last part.
/// </summary>
internal sealed class TailPieceAppender(IObjectStore store, TransientRetry retry, int listPageSize)
{
    public async Task<List<UploadedPart>> AppendAsync(MultipartUploadId upload, IReadOnlyList<UploadedPart> parts, CancellationToken cancellationToken)
    {
        var pieces = await ListAsync(upload, cancellationToken).ConfigureAwait(false);
        var result = parts.ToList();
        if (pieces.Count == 0) return result;
        var have = parts.Select(p => p.PartNumber).ToHashSet();
        var next = 1;
        while (have.Contains(next)) next++;
        while (pieces.TryGetValue(next, out var ofPart))
        {
            var (bytes, whole) = await JoinAsync(upload.Bucket, ofPart, cancellationToken).ConfigureAwait(false);
            // A part whose pieces stop short (one was lost) can only be the last: not when S3 has a later part.
            if (bytes.Length == 0 || (!whole && have.Any(n => n > next))) break;
            var md5 = ContentMd5.Of(bytes);
            var number = next;
            var etag = await retry.ExecuteAsync($"{upload}: UploadPart {number} (from its tail pieces)",
                ct => store.UploadPartAsync(upload, number, bytes, md5, ct), cancellationToken).ConfigureAwait(false);
            result.RemoveAll(p => p.PartNumber == number);
            result.Add(new UploadedPart(number, etag, bytes.Length, md5));
            have.Add(number);
            if (!whole) break;
            while (have.Contains(next)) next++;
        }
        result.Sort((a, b) => a.PartNumber.CompareTo(b.PartNumber));
        return result;
    }

    /// <summary>Deletes every piece of the upload (it is completed or aborted now).</summary>
    public async Task RemoveAsync(MultipartUploadId upload, CancellationToken cancellationToken)
    {
        foreach (var piece in (await ListAsync(upload, cancellationToken).ConfigureAwait(false)).Values.SelectMany(p => p))
        {
            await retry.ExecuteAsync($"s3://{upload.Bucket}/{piece.Key}: DeleteObject",
                async ct => { await store.DeleteObjectAsync(upload.Bucket, piece.Key, ct).ConfigureAwait(false); return true; },
                cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Piece(string Key, long Offset, long Size, bool EndsPart);

    private async Task<Dictionary<int, List<Piece>>> ListAsync(MultipartUploadId upload, CancellationToken cancellationToken)
    {
        var listed = await retry.ExecuteAsync($"s3://{upload.Bucket}/{TailPieces.Prefix(upload.Key)}: ListObjects",
            async ct => await store.ListObjectsAsync(upload.Bucket, TailPieces.Prefix(upload.Key), listPageSize, ct).ToListAsync(ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        var pieces = new Dictionary<int, List<Piece>>();
        foreach (var o in listed)
        {
            if (TailPieces.ParsePiece(upload.Key, o.Key) is not { } at) continue;
            if (!pieces.TryGetValue(at.Part, out var list)) pieces[at.Part] = list = [];
            list.Add(new Piece(o.Key, at.Offset, o.SizeBytes, at.EndsPart));
        }
        return pieces;
    }

    /// <summary>
    /// The part's bytes from offset 0 for as long as the pieces run without a hole (a piece stored twice counts once),
    /// and whether they reach the piece that ends the part.
    /// </summary>
    private async Task<(byte[] Bytes, bool Whole)> JoinAsync(string bucket, List<Piece> pieces, CancellationToken cancellationToken)
    {
        using var joined = new MemoryStream();
        var whole = false;
        foreach (var piece in pieces.OrderBy(p => p.Offset).ThenByDescending(p => p.Size))
        {
            if (piece.Offset > joined.Length) break;
            if (piece.Offset + piece.Size <= joined.Length)
            {
                whole |= piece.EndsPart && piece.Offset + piece.Size == joined.Length;
                continue;
            }
            var bytes = await retry.ExecuteAsync($"s3://{bucket}/{piece.Key}: GetObject",
                ct => store.ReadAllAsync(bucket, piece.Key, piece.Size, null, ct), cancellationToken).ConfigureAwait(false);
            if (bytes.Length < piece.Size) break;
            joined.Write(bytes, (int)(joined.Length - piece.Offset), (int)(piece.Offset + piece.Size - joined.Length));
            whole |= piece.EndsPart;
        }
        return (joined.ToArray(), whole);
    }
}
