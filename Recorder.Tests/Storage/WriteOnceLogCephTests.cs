using System.Diagnostics;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Recorder.Storage;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Storage;

/// <summary>
/// <see cref="WriteOnceLog"/> on the real local Ceph, whose versioned and Object Lock buckets ignore
/// If-None-Match: concurrent writers in each bucket kind, a race forced at one index, a rewrite an audit must
/// see, a retried PUT, and a suspended bucket. Every assertion is an invariant of any interleaving.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WriteOnceLogCephTests(CephFixture ceph, ITestOutputHelper output)
{
    public enum BucketKind { Plain, Versioned, ObjectLock }

    public static TheoryData<BucketKind> AllKinds => [BucketKind.Plain, BucketKind.Versioned, BucketKind.ObjectLock];

    private readonly S3ObjectStore _store = new(ceph.Client);

    private Task<string> CreateBucketAsync(BucketKind kind) => kind switch
    {
        BucketKind.Plain => ceph.CreateBucketAsync("wolog"),
        BucketKind.Versioned => ceph.CreateVersionedBucketAsync("wolog-v"),
        _ => ceph.CreateObjectLockBucketAsync("wolog-lock"),
    };

    private Task<List<LogEntry>> ReadAllAsync(string bucket) => new WriteOnceLog(_store, bucket, "audit/").ReadAsync().ToListAsync().AsTask();

    [Theory]
    [MemberData(nameof(AllKinds))]
    public async Task Eight_writers_appending_25_entries_each_lose_none_and_never_fork(BucketKind kind)
    {
        var bucket = await CreateBucketAsync(kind);
        var clock = Stopwatch.StartNew();

        var perWriter = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            // One append visits only indices above its writer's last entry, each holding another writer's entry
            // but the last: it cannot make more than 7 × 25 + 1 PUTs, so this bound cannot fail the test.
            var log = new WriteOnceLog(_store, bucket, "audit/", new WriteOnceLogOptions { MaxAttemptsPerAppend = 7 * 25 + 1 });
            var mine = new List<(string Event, LogAppendResult Result)>();
            for (var seq = 0; seq < 25; seq++)
            {
                var id = $"w{w}-{seq}";
                mine.Add((id, await log.AppendAsync(context => LogTestEntry.Build(id, context))));
            }
            return mine;
        })));
        var appendTime = clock.Elapsed;
        var appended = perWriter.SelectMany(m => m).ToList();
        var entries = await ReadAllAsync(bucket);

        var parsed = LogTestEntry.AssertOneChain(entries); // 0..n-1, one chain, every extra version claimed
        Assert.Equal(200, entries.Count);
        Assert.Equal(appended.Select(a => a.Event).Order(), parsed.Select(p => p.Event).Order()); // each exactly once
        foreach (var (id, result) in appended)
        {
            var at = (int)result.Index;
            Assert.Equal(id, parsed[at].Event); // the writer's own entry won where it says
            Assert.Equal(entries[at].VersionId, result.VersionId);
            Assert.Equal(result.LostAttempts.Select(l => LogTestEntry.Claim(l.Key, l.VersionId)), parsed[at].LostVersions);
        }
        var lost = appended.Sum(a => a.Result.LostAttempts.Count);
        var extra = entries.Sum(e => e.OtherVersions.Count);
        Assert.Equal(lost, extra); // no faults here: each lost attempt is one extra version, and each extra version a lost attempt
        if (kind == BucketKind.Plain) Assert.Equal(0, extra);
        output.WriteLine($"{kind}: 200 appends in {appendTime.TotalSeconds:0.0} s, read back in {(clock.Elapsed - appendTime).TotalSeconds:0.0} s; " +
                         $"{appended.Sum(a => a.Result.Attempts)} attempts (at most {appended.Max(a => a.Result.Attempts)} in one append), {lost} lost races left versions; " +
                         $"{entries.Count(e => e.OtherVersions.Any(v => v.LastModified < e.LastModified))} keys where a losing version's LastModified is older than the winner's");
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public async Task Two_writers_racing_for_one_index_get_one_winner_and_the_loser_claims_its_version(BucketKind kind)
    {
        var bucket = await CreateBucketAsync(kind);
        var racing = new RacingPutStore(_store, racers: 2); // both PUT index 0 at once

        var results = await Task.WhenAll(new[] { "a", "b" }.Select(id => Task.Run(
            () => new WriteOnceLog(racing, bucket, "audit/").AppendAsync(context => LogTestEntry.Build(id, context)))));

        Assert.Equal([0L, 1L], results.Select(r => r.Index).Order());
        var loser = results.Single(r => r.Index == 1);
        var entries = await ReadAllAsync(bucket);
        LogTestEntry.AssertOneChain(entries);
        Assert.Equal(2, entries.Count);
        if (kind == BucketKind.Plain)
        {
            Assert.Empty(loser.LostAttempts); // 412: nothing left behind
            Assert.Empty(entries[0].OtherVersions);
        }
        else
        {
            // Ceph 16 ignores If-None-Match here: both PUTs added a version, the younger one lost.
            var lostAttempt = Assert.Single(loser.LostAttempts);
            Assert.Equal((entries[0].Key, 0L), (lostAttempt.Key, lostAttempt.Index));
            Assert.Equal(lostAttempt.VersionId, Assert.Single(entries[0].OtherVersions).VersionId);
        }
        Assert.Equal(2, loser.Attempts);
    }

    [Fact]
    public async Task A_plain_put_over_an_entry_in_a_versioned_bucket_is_reported_and_the_original_still_wins()
    {
        var bucket = await CreateBucketAsync(BucketKind.Versioned);
        var log = new WriteOnceLog(_store, bucket, "audit/");
        await log.AppendAsync(context => LogTestEntry.Build("e0", context));
        await log.AppendAsync(context => LogTestEntry.Build("e1", context));
        var original = (await ReadAllAsync(bucket))[0];
        var forged = Encoding.UTF8.GetBytes("event forged\nprev none\nlost \n");

        var forgedETag = await _store.PutObjectAsync(new ObjectDestination(bucket, log.EntryKey(0)), forged, default);

        var entries = await ReadAllAsync(bucket);
        Assert.Equal(original.Content, entries[0].Content);
        Assert.Equal(original.VersionId, entries[0].VersionId);
        var extra = Assert.Single(entries[0].OtherVersions);
        Assert.Equal((forged.Length, forgedETag, false), (extra.SizeBytes, extra.ETag, extra.IsDeleteMarker));
        Assert.NotEqual(original.VersionId, extra.VersionId);
        var claims = entries.SelectMany(e => LogTestEntry.Parse(e.Content).LostVersions);
        Assert.DoesNotContain(LogTestEntry.Claim(extra.Key, extra.VersionId), claims); // unclaimed: a rewrite
        // The log goes on from the real entries, not from the forged current version.
        Assert.Equal(2, (await new WriteOnceLog(_store, bucket, "audit/").AppendAsync(context => LogTestEntry.Build("e2", context))).Index);
        Assert.Equal(LogTestEntry.Sha256Hex(entries[1].Content), LogTestEntry.Parse((await ReadAllAsync(bucket))[2].Content).PreviousSha256);
    }

    [Fact]
    public async Task A_retried_put_in_a_versioned_bucket_wins_with_its_first_version_and_leaves_a_same_bytes_copy()
    {
        var bucket = await CreateBucketAsync(BucketKind.Versioned);
        var faulty = new LostAnswerPutStore(_store);
        var log = new WriteOnceLog(faulty, bucket, "audit/", new WriteOnceLogOptions { RetryInitialDelay = TimeSpan.FromMilliseconds(1) });

        var result = await log.AppendAsync(context => LogTestEntry.Build("once", context));

        Assert.Equal(2, faulty.Calls);
        Assert.Equal(0, result.Index);
        Assert.Empty(result.LostAttempts);
        var entry = Assert.Single(await ReadAllAsync(bucket));
        Assert.Equal(entry.VersionId, result.VersionId); // the first PUT's version, whose answer was lost
        Assert.Equal(ContentMd5.SinglePartETag(entry.Content), Assert.Single(entry.OtherVersions).ETag);
    }

    [Fact]
    public async Task Put_if_absent_in_a_versioned_bucket_may_add_a_version_and_the_oldest_keeps_the_first_bytes()
    {
        var bucket = await CreateBucketAsync(BucketKind.Versioned);
        var first = Encoding.UTF8.GetBytes("first");

        var created = await _store.PutIfAbsentAsync(new ObjectDestination(bucket, "k"), first, default);
        var again = await _store.PutIfAbsentAsync(new ObjectDestination(bucket, "k"), Encoding.UTF8.GetBytes("second"), default);
        await _store.PutObjectAsync(new ObjectDestination(bucket, "k0"), first, default); // listed after "k" with Prefix=k: left out

        Assert.Equal(BucketVersioningStatus.Enabled, await _store.GetBucketVersioningAsync(bucket, default));
        Assert.NotNull(created.VersionId);
        // Ceph 16 ignores the condition in a versioned bucket (AWS answers 412); either way the oldest holds the first bytes.
        Assert.Contains(again.Outcome, new[] { PutIfAbsentOutcome.Created, PutIfAbsentOutcome.AlreadyExists });
        var versions = await _store.ListVersionsAsync(bucket, "k", pageSize: 1, default);
        Assert.Equal(again.Outcome == PutIfAbsentOutcome.Created ? new[] { created.VersionId, again.VersionId } : new[] { created.VersionId },
            versions.Select(v => v.VersionId));
        Assert.Equal(first, await _store.GetVersionAsync(bucket, "k", versions[0].VersionId, 100, default));
    }

    [Fact]
    public async Task A_bucket_whose_versioning_is_suspended_is_refused()
    {
        var bucket = await CreateBucketAsync(BucketKind.Versioned);
        await ceph.Client.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended },
        });

        var e = await Assert.ThrowsAsync<StorageDestinationException>(
            () => new WriteOnceLog(_store, bucket, "audit/").AppendAsync(context => LogTestEntry.Build("x", context)));

        Assert.Contains("versioning is suspended", e.Message);
        Assert.Empty(await ReadAllAsync(bucket));
    }
}
