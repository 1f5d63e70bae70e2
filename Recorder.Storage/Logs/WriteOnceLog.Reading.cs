using System.Globalization;
using System.Runtime.CompilerServices;

namespace Recorder.Storage;

// Reading entries, finding the tail, and the oldest-version rule both sides apply.
public sealed partial class WriteOnceLog
{
    /// <summary>
    /// The entries from <paramref name="fromIndex"/> on, each its key's winning (oldest) version with the key's
    /// other versions, until the first index without an entry. When a later entry exists beyond that index,
    /// throws <see cref="LogGapException"/> after the entries before it.
    /// </summary>
    public async IAsyncEnumerable<LogEntry> ReadAsync(long fromIndex = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromIndex);
        for (var index = fromIndex; index <= MaxIndex; index++)
        {
            var key = EntryKey(index);
            var versions = await ListVersionsAsync(key, cancellationToken).ConfigureAwait(false);
            var winner = Winner(versions);
            if (winner is null)
            {
                if (await FirstIndexAfterAsync(index, cancellationToken).ConfigureAwait(false) is { } next)
                {
                    throw new LogGapException(
                        $"s3://{Bucket}/{key}: the log has no entry {index} but has entry {next}: entries were deleted " +
                        $"({versions.Count} delete markers at {index})", index, next)
                    {
                        Bucket = Bucket, Key = key,
                    };
                }
                yield break;
            }
            var content = await ReadVersionAsync(key, winner, cancellationToken).ConfigureAwait(false);
            yield return new LogEntry(index, key, winner.VersionId, content, winner.LastModified, versions.Where(v => v != winner).ToArray());
        }
    }

    /// <summary>The entry at an index: the oldest version that is not a delete marker (versions come oldest first).</summary>
    private static ObjectVersion? Winner(IReadOnlyList<ObjectVersion> versions)
    {
        foreach (var v in versions)
        {
            if (!v.IsDeleteMarker) return v;
        }
        return null;
    }

    /// <summary>
    /// The tail from a listing of <c>entries/</c> (keys sort by their zero-padded index; one page in memory at a
    /// time): the index after the last entry, with that entry's winning bytes.
    /// </summary>
    private async Task<Position> FindTailAsync(CancellationToken cancellationToken)
    {
        for (var listing = 1; ; listing++)
        {
            var last = await _retry.ExecuteAsync($"s3://{Bucket}/{EntriesPrefix}: ListObjectsV2", async ct =>
            {
                long? found = null;
                await foreach (var o in ListEntriesAsync(ct).ConfigureAwait(false)) found = o.Index;
                return found;
            }, cancellationToken).ConfigureAwait(false);
            if (last is not { } tail) return new Position(0, null);
            var key = EntryKey(tail);
            var winner = Winner(await ListVersionsAsync(key, cancellationToken).ConfigureAwait(false));
            if (winner is not null)
                return new Position(tail + 1, await ReadVersionAsync(key, winner, cancellationToken).ConfigureAwait(false));
            // Listed a moment ago, deleted since: list again, a few times.
            if (listing == 3)
                throw new StorageException($"s3://{Bucket}/{key}: the last entry listed keeps having no version when read; is the log being deleted?")
                {
                    Bucket = Bucket, Key = key,
                };
        }
    }

    /// <summary>The first entry listed after <paramref name="index"/>, or null; for telling a gap from the end.</summary>
    private Task<long?> FirstIndexAfterAsync(long index, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync($"s3://{Bucket}/{EntriesPrefix}: ListObjectsV2", async ct =>
        {
            await foreach (var o in ListEntriesAsync(ct).ConfigureAwait(false))
            {
                if (o.Index > index) return (long?)o.Index;
            }
            return null;
        }, cancellationToken);

    /// <summary>Entry keys under <c>entries/</c> in index order; keys that are not an entry's are passed over.</summary>
    private async IAsyncEnumerable<(long Index, string Key)> ListEntriesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var o in _store.ListObjectsAsync(Bucket, EntriesPrefix, _options.ListPageSize, cancellationToken).ConfigureAwait(false))
        {
            var name = o.Key.AsSpan(EntriesPrefix.Length);
            if (name.Length == 12 && !name.ContainsAnyExceptInRange('0', '9')
                && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                yield return (index, o.Key);
        }
    }

    private Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string key, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync($"s3://{Bucket}/{key}: ListObjectVersions",
            ct => _store.ListVersionsAsync(Bucket, key, _options.ListPageSize, ct), cancellationToken);

    private Task<byte[]> ReadVersionAsync(string key, ObjectVersion version, CancellationToken cancellationToken)
    {
        if (version.SizeBytes > _options.MaxEntrySizeBytes)
        {
            throw new StorageException(
                $"s3://{Bucket}/{key} (version {version.VersionId ?? "null"}): {version.SizeBytes} bytes, more than the " +
                $"{_options.MaxEntrySizeBytes} an entry may have; not a log entry")
            {
                Bucket = Bucket, Key = key,
            };
        }
        return _retry.ExecuteAsync($"s3://{Bucket}/{key}: GetObject",
            ct => _store.GetVersionAsync(Bucket, key, version.VersionId, _options.MaxEntrySizeBytes, ct), cancellationToken);
    }
}
