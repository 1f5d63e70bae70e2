namespace Recorder.Storage;

/// <summary>
/// An append-only log of small objects <c>{logPrefix}entries/{index:D12}</c> (index from 0), each written once
/// and never overwritten, that any number of writers append to at once without losing an entry or forking.
/// <para>
/// The rule: an entry is PUT with <c>If-None-Match: *</c>, and the entry at an index is the <b>oldest version</b>
/// of its key. The condition alone is not enough: AWS honours it (412, or 409 during a race), but Ceph ignores it
/// in a versioned or Object Lock bucket, where every racer gets 200 and adds a version. So after a 200 that
/// created a version, the writer lists the key's versions and has won only when its version is the oldest;
/// otherwise it records the lost attempt and tries the next index, built on the winner. Oldest means first in
/// the order the server stored the versions (the listing's order), which a later write cannot get ahead of;
/// not LastModified, which Ceph stamps before it orders the version and AWS lists in whole seconds. Readers
/// apply the same rule, so every reader sees one chain.
/// </para>
/// <para>
/// What a lost race leaves: nothing in a bucket without versioning (412); in a versioned or Object Lock bucket
/// on Ceph, an extra version of the key, which the loser's entry lists in <see cref="LogAppendContext.LostAttempts"/>.
/// An extra version no later entry claims is a rewrite (or a retried PUT of the winner's own bytes, which has the
/// winner's ETag). A bucket whose versioning is suspended is refused: there a PUT replaces the "null" version and
/// racers cannot be told apart.
/// </para>
/// <para>
/// Entries should carry something unique to their writer (an id and a counter): a writer whose PUT was retried
/// after a transient failure recognises its own bytes by their ETag (MD5, so not with SSE-KMS, where a retried
/// append may at worst be written twice). One instance may be shared; it caches the tail it last saw, and a
/// fresh one finds the tail by listing <c>entries/</c>.
/// </para>
/// </summary>
public sealed partial class WriteOnceLog
{
    /// <summary>After this many entries in a row found already written, list the log for its tail instead of walking.</summary>
    private const int WalkBeforeListing = 8;

    private const long MaxIndex = 999_999_999_999;

    private readonly IObjectStore _store;
    private readonly WriteOnceLogOptions _options;
    private readonly TransientRetry _retry;
    private readonly object _gate = new();
    private Position? _cachedTail;
    private bool? _versioned;

    public WriteOnceLog(IObjectStore store, string bucket, string logPrefix, WriteOnceLogOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentNullException.ThrowIfNull(logPrefix);
        _options = options ?? new WriteOnceLogOptions();
        _options.Validate();
        Bucket = bucket;
        LogPrefix = logPrefix;
        EntriesPrefix = logPrefix + "entries/";
        _retry = new TransientRetry(_options.OutageWindow, _options.RetryInitialDelay, _options.RetryMaxDelay);
    }

    public string Bucket { get; }

    public string LogPrefix { get; }

    private string EntriesPrefix { get; }

    /// <summary>The key of the entry at <paramref name="index"/>: <c>{logPrefix}entries/{index:D12}</c>.</summary>
    public string EntryKey(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxIndex);
        return EntriesPrefix + index.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Appends one entry at the log's tail. <paramref name="build"/> makes the entry for each attempt from the
    /// index, the previous entry and the attempts lost so far (it may be called several times; only the last
    /// result is the entry). Throws <see cref="StorageException"/> when <see cref="WriteOnceLogOptions.MaxAttemptsPerAppend"/>
    /// PUTs did not get an entry written.
    /// </summary>
    public async Task<LogAppendResult> AppendAsync(Func<LogAppendContext, byte[]> build, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        var versioned = await IsVersionedAsync(cancellationToken).ConfigureAwait(false);
        var at = CachedTail() ?? await FindTailAsync(cancellationToken).ConfigureAwait(false);
        var lost = new List<LostAppendAttempt>();
        var attempts = 0;
        var walked = 0;
        var losses = 0;
        while (true)
        {
            // In a versioned bucket a PUT on a written key adds a version even when it loses: look before writing.
            if (versioned) at = await SkipWrittenAsync(at, cancellationToken).ConfigureAwait(false);
            Spend(ref attempts, at.Index, lost);
            var content = build(new LogAppendContext(at.Index, at.Previous, lost.ToArray()));
            if (content is null || content.Length > _options.MaxEntrySizeBytes)
                throw new ArgumentException(
                    $"the entry builder returned {(content is null ? "null" : $"{content.Length} bytes")}; an entry is 0 to {_options.MaxEntrySizeBytes} bytes",
                    nameof(build));
            var key = EntryKey(at.Index);
            var (put, retried) = await PutIfAbsentAsync(key, content, cancellationToken).ConfigureAwait(false);
            if (put.Outcome == PutIfAbsentOutcome.Conflict)
            {
                // AWS: another conditional write to this key is in flight; nothing of ours was stored. Look again.
                await Task.Delay(ContentionDelay(++losses), cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (put.Outcome == PutIfAbsentOutcome.Created && put.VersionId is null)
                return Won(at.Index, key, null, content, attempts, lost); // no versioning: the condition held
            versioned |= put.VersionId is not null;

            var versions = await ListVersionsAsync(key, cancellationToken).ConfigureAwait(false);
            var winner = Winner(versions);
            if (winner is null)
            {
                if (put.Outcome == PutIfAbsentOutcome.Created)
                    throw new StorageException($"s3://{Bucket}/{key}: PutObject stored version {put.VersionId} but the key lists no version")
                    {
                        Bucket = Bucket, Key = key,
                    };
                continue; // 412, then gone: the key was deleted in between; try it again
            }
            var ours = ContentMd5.SinglePartETag(content);
            if (put.VersionId is not null && winner.VersionId == put.VersionId)
                return Won(at.Index, key, put.VersionId, content, attempts, lost);
            // A retried PUT may have stored our bytes before its answer was lost: the winner may be ours after all.
            if (retried && SameETag(winner.ETag, ours))
                return Won(at.Index, key, winner.VersionId, content, attempts, lost);

            if (put.VersionId is not null) lost.Add(new LostAppendAttempt(at.Index, key, put.VersionId));
            if (retried)
            {
                foreach (var v in versions)
                {
                    if (v.VersionId is { } id && !v.IsDeleteMarker && v != winner && SameETag(v.ETag, ours) && !lost.Exists(l => l.Key == key && l.VersionId == id))
                        lost.Add(new LostAppendAttempt(at.Index, key, id));
                }
            }
            at = new Position(at.Index + 1, await ReadVersionAsync(key, winner, cancellationToken).ConfigureAwait(false));
            // A race that left a version: spread the racers out before the next index. A 412 left nothing and is
            // mostly a writer catching up: no wait.
            if (put.Outcome == PutIfAbsentOutcome.Created)
                await Task.Delay(ContentionDelay(++losses), cancellationToken).ConfigureAwait(false);
            if (put.Outcome == PutIfAbsentOutcome.AlreadyExists && ++walked >= WalkBeforeListing)
            {
                // Far behind (a writer idle while others appended): one listing beats a PUT per entry.
                walked = 0;
                var tail = await FindTailAsync(cancellationToken).ConfigureAwait(false);
                if (tail.Index > at.Index) at = tail;
            }
        }
    }

    /// <summary>From <paramref name="at"/>, steps over entries already written; returns the first free index and the entry before it.</summary>
    private async Task<Position> SkipWrittenAsync(Position at, CancellationToken cancellationToken)
    {
        ObjectVersion? lastWinner = null;
        var index = at.Index;
        var walked = 0;
        while (true)
        {
            var key = EntryKey(index);
            var winner = Winner(await ListVersionsAsync(key, cancellationToken).ConfigureAwait(false));
            if (winner is null) break;
            lastWinner = winner;
            index++;
            if (++walked >= WalkBeforeListing)
            {
                walked = 0;
                var tail = await FindTailAsync(cancellationToken).ConfigureAwait(false);
                if (tail.Index > index) return await SkipWrittenAsync(tail, cancellationToken).ConfigureAwait(false);
            }
        }
        if (lastWinner is null) return at;
        return new Position(index, await ReadVersionAsync(lastWinner.Key, lastWinner, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Full jitter: uniform up to the initial delay doubled per loss, capped.</summary>
    private TimeSpan ContentionDelay(int losses)
    {
        var ceiling = Math.Min(_options.ContentionMaxDelay.TotalMilliseconds,
            _options.ContentionInitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(losses - 1, 30)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    private void Spend(ref int attempts, long index, List<LostAppendAttempt> lost)
    {
        if (++attempts <= _options.MaxAttemptsPerAppend) return;
        throw new StorageException(
            $"s3://{Bucket}/{EntriesPrefix}: gave up appending after {_options.MaxAttemptsPerAppend} attempts (reached index {index}, " +
            $"{lost.Count} lost races left versions): the log is contended beyond the limit, or the server keeps neither " +
            "If-None-Match nor the order of a key's versions")
        {
            Bucket = Bucket, Key = EntryKey(Math.Min(index, MaxIndex)),
        };
    }

    private LogAppendResult Won(long index, string key, string? versionId, byte[] content, int attempts, List<LostAppendAttempt> lost)
    {
        lock (_gate)
        {
            if (_cachedTail is null || _cachedTail.Index <= index) _cachedTail = new Position(index + 1, content);
        }
        return new LogAppendResult(index, key, versionId, attempts, lost.ToArray());
    }

    private Position? CachedTail()
    {
        lock (_gate) return _cachedTail;
    }

    private async Task<bool> IsVersionedAsync(CancellationToken cancellationToken)
    {
        if (_versioned is { } known) return known;
        var status = await _retry.ExecuteAsync($"s3://{Bucket}: GetBucketVersioning",
            ct => _store.GetBucketVersioningAsync(Bucket, ct), cancellationToken).ConfigureAwait(false);
        if (status == BucketVersioningStatus.Suspended)
        {
            throw new StorageDestinationException(
                $"s3://{Bucket}: versioning is suspended, so a PUT replaces the \"null\" version and racing writers of a log entry " +
                "cannot be told apart; enable versioning again (or use a bucket that never had it)")
            {
                Bucket = Bucket,
            };
        }
        _versioned = status == BucketVersioningStatus.Enabled;
        return _versioned.Value;
    }

    private async Task<(PutIfAbsentResult Result, bool Retried)> PutIfAbsentAsync(string key, byte[] content, CancellationToken cancellationToken)
    {
        var tries = 0;
        var result = await _retry.ExecuteAsync($"s3://{Bucket}/{key}: PutObject (If-None-Match)", ct =>
        {
            tries++;
            return _store.PutIfAbsentAsync(new ObjectDestination(Bucket, key), content, ct);
        }, cancellationToken).ConfigureAwait(false);
        return (result, tries > 1);
    }

    private static bool SameETag(string a, string b) =>
        string.Equals(a.Trim('"'), b.Trim('"'), StringComparison.OrdinalIgnoreCase);

    /// <summary>The next index to write and the winning entry before it (null before index 0).</summary>
    private sealed record Position(long Index, byte[]? Previous);
}
