using System.Text;
using Recorder.Storage;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Storage;

/// <summary>
/// <see cref="WriteOnceLog"/> on the in-memory store (AWS semantics, no versioning): the chain, finding the
/// tail, catching up, gaps, a retried PUT whose first answer was lost, and the attempt bound. The races and the
/// versioned buckets are in <see cref="WriteOnceLogCephTests"/>.
/// </summary>
public sealed class WriteOnceLogTests
{
    private const string Bucket = "logs";
    private readonly InMemoryObjectStore _store = new();

    public WriteOnceLogTests() => _store.CreateBucket(Bucket);

    private WriteOnceLog Writer(IObjectStore? store = null, WriteOnceLogOptions? options = null) =>
        new(store ?? _store, Bucket, "audit/", options);

    private static Task<LogAppendResult> AppendAsync(WriteOnceLog log, string eventId) =>
        log.AppendAsync(context => LogTestEntry.Build(eventId, context));

    private async Task<IReadOnlyList<LogEntry>> ReadAllAsync() => await Writer().ReadAsync().ToListAsync();

    [Fact]
    public async Task Entries_chain_from_index_0_and_a_fresh_writer_continues_at_the_tail()
    {
        var first = Writer();
        for (var i = 0; i < 3; i++) Assert.Equal(i, (await AppendAsync(first, $"a{i}")).Index);

        var fresh = await AppendAsync(Writer(), "b0");

        Assert.Equal(("audit/entries/000000000003", (string?)null, 1), (fresh.Key, fresh.VersionId, fresh.Attempts));
        var entries = await ReadAllAsync();
        Assert.Equal(["a0", "a1", "a2", "b0"], LogTestEntry.AssertOneChain(entries).Select(e => e.Event));
        Assert.All(entries, e => Assert.Empty(e.OtherVersions));
    }

    [Fact]
    public async Task A_writer_far_behind_catches_up_by_listing_within_its_attempt_budget()
    {
        var stale = Writer(options: new WriteOnceLogOptions { MaxAttemptsPerAppend = 12 });
        await AppendAsync(stale, "stale-0");
        var other = Writer();
        for (var i = 0; i < 40; i++) await AppendAsync(other, $"other-{i}");

        var result = await AppendAsync(stale, "stale-1");

        Assert.Equal(41, result.Index);
        Assert.Equal(9, result.Attempts); // 8 entries found taken (412), then one listing, then the write
        Assert.Empty(result.LostAttempts); // a 412 leaves no version behind
        Assert.Equal(42, LogTestEntry.AssertOneChain(await ReadAllAsync()).Count);
    }

    [Fact]
    public async Task Reading_stops_at_the_end_and_reports_a_deleted_entry_as_a_gap()
    {
        var log = Writer();
        for (var i = 0; i < 4; i++) await AppendAsync(log, $"e{i}");
        Assert.Equal([2, 3], await log.ReadAsync(2).Select(e => e.Index).ToListAsync());
        Assert.Empty(await log.ReadAsync(4).ToListAsync());

        await _store.DeleteObjectAsync(Bucket, log.EntryKey(1), default);

        var read = new List<long>();
        var gap = await Assert.ThrowsAsync<LogGapException>(async () =>
        {
            await foreach (var entry in log.ReadAsync()) read.Add(entry.Index);
        });
        Assert.Equal([0], read);
        Assert.Equal((1, 2), (gap.MissingIndex, gap.NextIndex));
        Assert.Contains("s3://logs/audit/entries/000000000001", gap.Message);
    }

    [Fact]
    public async Task A_retried_put_whose_first_answer_was_lost_is_recognised_as_the_writers_own_entry()
    {
        var faulty = new LostAnswerPutStore(_store);

        var result = await Writer(faulty, new WriteOnceLogOptions { RetryInitialDelay = TimeSpan.FromMilliseconds(1) }).AppendAsync(
            context => LogTestEntry.Build("once", context));

        Assert.Equal(2, faulty.Calls); // stored, answer lost; retried: 412
        Assert.Equal((0L, 1), (result.Index, result.Attempts));
        Assert.Equal(["once"], LogTestEntry.AssertOneChain(await ReadAllAsync()).Select(e => e.Event));
    }

    [Fact]
    public async Task An_append_that_keeps_meeting_conflicts_gives_up_with_a_clear_error()
    {
        var log = Writer(new LostAnswerPutStore(_store) { AlwaysConflict = true }, new WriteOnceLogOptions { MaxAttemptsPerAppend = 5 });

        var e = await Assert.ThrowsAsync<StorageException>(() => AppendAsync(log, "never"));

        Assert.Contains("s3://logs/audit/entries/: gave up appending after 5 attempts", e.Message);
        Assert.Empty(await ReadAllAsync());
    }

    [Fact]
    public async Task The_builder_sees_the_index_and_previous_entry_and_an_oversized_entry_is_refused()
    {
        var log = Writer(options: new WriteOnceLogOptions { MaxEntrySizeBytes = 64 });
        LogAppendContext? seen = null;
        await log.AppendAsync(c => { seen = c; return "zero"u8.ToArray(); });
        Assert.Equal((0L, false), (seen!.Index, seen.PreviousEntry.HasValue));

        await log.AppendAsync(c => { seen = c; return "one"u8.ToArray(); });
        Assert.Equal((1L, "zero"), (seen.Index, Encoding.UTF8.GetString(seen.PreviousEntry!.Value.Span)));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(_ => new byte[65]));
        Assert.Equal("build", e.ParamName);
    }
}
