using Recorder.Service.Auth;
using Recorder.Service.Store;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Service;

/// <summary>The embedded store on a real SQLite file.</summary>
public sealed class SqliteRecorderStoreTests : RecorderStoreContractTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recorder-store-").FullName;

    protected override Task<SqlRecorderStore> OpenAsync() => Task.FromResult<SqlRecorderStore>(new SqliteRecorderStore(Path.Combine(_dir, "state", "recorder.db")));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void The_file_is_the_owners_only() =>
        // Token hashes and webhook secrets are in it.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(((SqliteRecorderStore)Store).Path));
}

/// <summary>The shared store on a real PostgreSQL: the same contract.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresRecorderStoreTests(PostgresFixture postgres) : RecorderStoreContractTests
{
    private string? _database;

    protected override async Task<SqlRecorderStore> OpenAsync() =>
        new PostgresRecorderStore(_database ??= await postgres.CreateDatabaseAsync("store"));
}

/// <summary>What every store does: what survives reopening, and who wins a race (STYLE: one contract, every implementation).</summary>
public abstract class RecorderStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private SqlRecorderStore _store = null!;
    private readonly List<SqlRecorderStore> _opened = [];

    protected SqlRecorderStore Store => _store;

    /// <summary>A store over the same database on every call.</summary>
    protected abstract Task<SqlRecorderStore> OpenAsync();

    public async Task InitializeAsync() => _store = await OpenInitializedAsync();

    private async Task<SqlRecorderStore> OpenInitializedAsync()
    {
        var store = await OpenAsync();
        await store.InitializeAsync(CancellationToken.None);
        _opened.Add(store);
        return store;
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened.OfType<IAsyncDisposable>()) await store.DisposeAsync();
    }

    private static HostRecord Host(string id) => new()
    {
        Id = id, Name = "Host " + id, Recipients = ["age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"], DisplayName = "● Recording", CreatedAt = T0,
    };

    private static RecordingRecord Recording(string id, string host, DateTimeOffset created) => new()
    {
        Id = id, HostId = host, MeetingUri = "synthetic://", MeetingId = "synthetic", Layout = "gallery", Width = 1280, Height = 720,
        MaxDurationSeconds = 60, StartAt = created, CreatedAt = created, State = RecordingState.Scheduled,
    };

    private async Task AddHostAsync(string id) => await _store.AddHostAsync(Host(id), ApiTokens.Issue(id, Roles.Host, T0).Record, CancellationToken.None);

    [Fact]
    public async Task Everything_survives_reopening_the_file()
    {
        await AddHostAsync("host-a");
        var (_, token) = ApiTokens.Issue("host-a", Roles.Host, T0);
        Assert.True(await _store.ReplaceTokenAsync(token, CancellationToken.None));
        await _store.AddRecordingAsync(Recording("rec-1", "host-a", T0.AddDays(1)), CancellationToken.None);

        var reopened = await OpenInitializedAsync(); // the schema step runs again and keeps everything
        Assert.Equal(Host("host-a"), await reopened.GetHostAsync("host-a", CancellationToken.None), new HostComparer());
        Assert.Equal(token.SecretSha256, (await reopened.FindTokenAsync(token.TokenId, CancellationToken.None))!.SecretSha256);
        var recording = await reopened.GetRecordingAsync("rec-1", CancellationToken.None);
        Assert.Equal((RecordingState.Scheduled, T0.AddDays(1)), (recording!.State, recording.StartAt));
    }

    [Fact]
    public async Task Rotating_a_token_removes_the_old_one()
    {
        await AddHostAsync("host-a");
        var first = ApiTokens.Issue("host-a", Roles.Host, T0).Record;
        var second = ApiTokens.Issue("host-a", Roles.Host, T0).Record;
        Assert.True(await _store.ReplaceTokenAsync(first, CancellationToken.None));
        Assert.True(await _store.ReplaceTokenAsync(second, CancellationToken.None));
        Assert.Null(await _store.FindTokenAsync(first.TokenId, CancellationToken.None));
        Assert.NotNull(await _store.FindTokenAsync(second.TokenId, CancellationToken.None));
        Assert.False(await _store.ReplaceTokenAsync(ApiTokens.Issue("host-missing", Roles.Host, T0).Record, CancellationToken.None));
        // A host id is not an auditor id: rotation checks the role too.
        Assert.False(await _store.ReplaceTokenAsync(ApiTokens.Issue("host-a", Roles.Auditor, T0).Record, CancellationToken.None));
    }

    [Fact]
    public async Task A_started_recording_cannot_be_deleted_and_a_deleted_one_cannot_start()
    {
        await AddHostAsync("host-a");
        await _store.AddRecordingAsync(Recording("rec-1", "host-a", T0), CancellationToken.None);
        await _store.AddRecordingAsync(Recording("rec-2", "host-a", T0), CancellationToken.None);

        Assert.True(await _store.TryStartAsync("rec-1", ["age1x"], T0, CancellationToken.None));
        Assert.False(await _store.TryStartAsync("rec-1", ["age1x"], T0, CancellationToken.None)); // never twice
        Assert.False(await _store.DeleteScheduledAsync("rec-1", CancellationToken.None));

        Assert.True(await _store.DeleteScheduledAsync("rec-2", CancellationToken.None));
        Assert.False(await _store.TryStartAsync("rec-2", ["age1x"], T0, CancellationToken.None));
        Assert.Null(await _store.GetRecordingAsync("rec-2", CancellationToken.None));
    }

    [Fact]
    public async Task States_only_move_forward_and_a_finished_recording_stays_finished()
    {
        await AddHostAsync("host-a");
        await _store.AddRecordingAsync(Recording("rec-1", "host-a", T0), CancellationToken.None);
        Assert.False(await _store.RequestStopAsync("rec-1", T0, CancellationToken.None)); // not running yet
        Assert.True(await _store.TryStartAsync("rec-1", ["age1x"], T0, CancellationToken.None));
        Assert.True(await _store.SetStateAsync("rec-1", RecordingState.Recording, T0.AddSeconds(1), null, null, CancellationToken.None));
        Assert.True(await _store.RequestStopAsync("rec-1", T0.AddSeconds(2), CancellationToken.None));
        Assert.True(await _store.IsStopRequestedAsync("rec-1", CancellationToken.None));
        Assert.True(await _store.SetStateAsync("rec-1", RecordingState.Finalizing, T0.AddSeconds(3), null, null, CancellationToken.None));
        Assert.False(await _store.SetStateAsync("rec-1", RecordingState.Recording, T0.AddSeconds(4), null, null, CancellationToken.None));
        Assert.True(await _store.SetStateAsync("rec-1", RecordingState.Completed, T0.AddSeconds(5), "stopped on request", null, CancellationToken.None));
        Assert.False(await _store.SetStateAsync("rec-1", RecordingState.Failed, T0.AddSeconds(6), null, "late", CancellationToken.None));
        Assert.False(await _store.RequestStopAsync("rec-1", T0, CancellationToken.None));

        var r = (await _store.GetRecordingAsync("rec-1", CancellationToken.None))!;
        Assert.Equal((RecordingState.Completed, "stopped on request", (string?)null), (r.State, r.EndReason, r.Error));
        Assert.Equal([T0, T0.AddSeconds(1), T0.AddSeconds(3), T0.AddSeconds(5)], new[] { r.JoiningAt, r.RecordingAt, r.FinalizingAt, r.EndedAt });
        Assert.Equal(T0.AddSeconds(2), r.StopRequestedAt);
        Assert.Equal(["age1x"], r.Recipients);
    }

    [Fact]
    public async Task Segments_come_back_in_order()
    {
        await AddHostAsync("host-a");
        await _store.AddRecordingAsync(Recording("rec-1", "host-a", T0), CancellationToken.None);
        var second = new SegmentRecord(2, "s3://b/2", 20, "bb", 60.5, 30.25, "the meeting ended", false);
        var first = new SegmentRecord(1, "s3://b/1", 10, "aa", 0, 60.5, "segment length limit reached", true);
        await _store.AddSegmentAsync("rec-1", second, CancellationToken.None);
        await _store.AddSegmentAsync("rec-1", first, CancellationToken.None);
        Assert.Equal([first, second], (await _store.GetRecordingAsync("rec-1", CancellationToken.None))!.Segments);
    }

    [Fact]
    public async Task Listing_pages_newest_first_per_host_and_by_state()
    {
        await AddHostAsync("host-a");
        await AddHostAsync("host-b");
        for (var i = 0; i < 5; i++) await _store.AddRecordingAsync(Recording($"rec-a{i}", "host-a", T0.AddMinutes(i)), CancellationToken.None);
        await _store.AddRecordingAsync(Recording("rec-b0", "host-b", T0.AddMinutes(10)), CancellationToken.None);
        await _store.TryStartAsync("rec-a3", [], T0, CancellationToken.None);

        var page1 = await _store.ListRecordingsAsync(new RecordingQuery("host-a", null, 2, null), CancellationToken.None);
        var page2 = await _store.ListRecordingsAsync(new RecordingQuery("host-a", null, 2, page1.Next), CancellationToken.None);
        var page3 = await _store.ListRecordingsAsync(new RecordingQuery("host-a", null, 2, page2.Next), CancellationToken.None);
        Assert.Equal(["rec-a4", "rec-a3", "rec-a2", "rec-a1", "rec-a0"], page1.Items.Concat(page2.Items).Concat(page3.Items).Select(r => r.Id));
        Assert.Null(page3.Next);
        Assert.Equal(["rec-b0", "rec-a4"], (await _store.ListRecordingsAsync(new RecordingQuery(null, null, 2, null), CancellationToken.None)).Items.Select(r => r.Id));
        Assert.Equal(["rec-a3"], (await _store.ListRecordingsAsync(new RecordingQuery(null, RecordingState.Joining, 10, null), CancellationToken.None)).Items.Select(r => r.Id));
        Assert.Equal(5, await _store.CountRecordingsInStateAsync(RecordingState.Scheduled, CancellationToken.None));
    }

    [Fact]
    public async Task A_delivered_webhook_is_not_listed_again()
    {
        var delivery = new WebhookDelivery("msg_1", "host-a", "recording.started", "{}", T0, null, 0, null);
        await _store.AddDeliveryAsync(delivery, CancellationToken.None);
        await _store.RecordDeliveryAttemptAsync("msg_1", null, "refused", CancellationToken.None);
        Assert.Equal((1, "refused"), (await _store.ListUndeliveredAsync(CancellationToken.None)).Select(d => (d.Attempts, d.LastError)).Single());
        await _store.RecordDeliveryAttemptAsync("msg_1", T0.AddSeconds(5), null, CancellationToken.None);
        Assert.Empty(await _store.ListUndeliveredAsync(CancellationToken.None));
        Assert.Equal((2, (DateTimeOffset?)T0.AddSeconds(5)), ((await _store.GetDeliveryAsync("msg_1", CancellationToken.None))!.Attempts, (await _store.GetDeliveryAsync("msg_1", CancellationToken.None))!.DeliveredAt));
    }

    [Fact]
    public async Task A_lease_is_taken_over_only_after_it_expires_and_the_old_epoch_can_write_nothing()
    {
        await AddHostAsync("host-a");
        await _store.AddRecordingAsync(Recording("rec-1", "host-a", T0), CancellationToken.None);
        Assert.True(await _store.TryStartAsync("rec-1", ["age1x"], T0, CancellationToken.None));
        var ttl = TimeSpan.FromSeconds(8);

        Assert.Equal(1, await _store.AcquireLeaseAsync("rec-1", "worker-a", T0, ttl, CancellationToken.None));
        Assert.Null(await _store.AcquireLeaseAsync("rec-1", "worker-b", T0.AddSeconds(7), ttl, CancellationToken.None)); // still live
        Assert.True(await _store.RenewLeaseAsync("rec-1", "worker-a", 1, T0.AddSeconds(7), ttl, CancellationToken.None)); // now until +15 s
        Assert.Null(await _store.AcquireLeaseAsync("rec-1", "worker-b", T0.AddSeconds(14), ttl, CancellationToken.None));
        Assert.True(await _store.AddSegmentAsync("rec-1", new SegmentRecord(1, "s3://b/1", 10, "aa", 0, 5, "r", false), CancellationToken.None, epoch: 1));

        // Worker A stops renewing: at expiry B takes over with the next epoch, and A's writes are refused from then on.
        Assert.Equal(2, await _store.AcquireLeaseAsync("rec-1", "worker-b", T0.AddSeconds(15), ttl, CancellationToken.None));
        Assert.False(await _store.RenewLeaseAsync("rec-1", "worker-a", 1, T0.AddSeconds(16), ttl, CancellationToken.None));
        Assert.False(await _store.AddSegmentAsync("rec-1", new SegmentRecord(2, "s3://b/2", 10, "a2", 5, 5, "r", false), CancellationToken.None, epoch: 1));
        Assert.False(await _store.SetStateAsync("rec-1", RecordingState.Completed, T0.AddSeconds(16), "late", null, CancellationToken.None, epoch: 1));
        Assert.True(await _store.AddSegmentAsync("rec-1", new SegmentRecord(2, "s3://b/2", 12, "b2", 20, 5, "r", true), CancellationToken.None, epoch: 2));
        Assert.True(await _store.SetStateAsync("rec-1", RecordingState.Recording, T0.AddSeconds(16), null, null, CancellationToken.None, epoch: 2));

        var r = (await _store.GetRecordingAsync("rec-1", CancellationToken.None))!;
        Assert.Equal(RecordingState.Recording, r.State);
        Assert.Equal([("aa", false), ("b2", true)], r.Segments.Select(s => (s.Sha256, s.Truncated)));
        Assert.Equal(new RecordingLease("rec-1", "worker-b", 2, T0.AddSeconds(23)), await _store.GetLeaseAsync("rec-1", CancellationToken.None));

        // A hand-over: released now, taken at once.
        Assert.True(await _store.ReleaseLeaseAsync("rec-1", "worker-b", 2, T0.AddSeconds(17), CancellationToken.None));
        Assert.Equal(3, await _store.AcquireLeaseAsync("rec-1", "worker-c", T0.AddSeconds(17), ttl, CancellationToken.None));
    }

    [Fact]
    public async Task An_orphaned_recording_is_claimed_once_and_again_only_after_the_claim_went_stale()
    {
        await AddHostAsync("host-a");
        foreach (var id in new[] { "rec-leased", "rec-unleased", "rec-scheduled" })
            await _store.AddRecordingAsync(Recording(id, "host-a", T0), CancellationToken.None);
        Assert.True(await _store.TryStartAsync("rec-leased", ["age1x"], T0, CancellationToken.None));
        Assert.True(await _store.TryStartAsync("rec-unleased", ["age1x"], T0, CancellationToken.None)); // its worker died before taking a lease
        Assert.Equal(1, await _store.AcquireLeaseAsync("rec-leased", "worker-a", T0, TimeSpan.FromSeconds(8), CancellationToken.None));
        var grace = TimeSpan.FromSeconds(8);
        var stale = TimeSpan.FromSeconds(30);

        Assert.Empty(await _store.ClaimOrphansAsync(T0.AddSeconds(5), grace, stale, CancellationToken.None));
        Assert.Equal(["rec-leased", "rec-unleased"], await _store.ClaimOrphansAsync(T0.AddSeconds(9), grace, stale, CancellationToken.None));
        Assert.Empty(await _store.ClaimOrphansAsync(T0.AddSeconds(10), grace, stale, CancellationToken.None)); // claimed once
        Assert.Equal(["rec-leased", "rec-unleased"], await _store.ClaimOrphansAsync(T0.AddSeconds(40), grace, stale, CancellationToken.None));

        // Taking the lease ends the orphanhood; a finished recording is nobody's orphan.
        Assert.Equal(1, await _store.AcquireLeaseAsync("rec-unleased", "worker-b", T0.AddSeconds(41), TimeSpan.FromSeconds(8), CancellationToken.None));
        Assert.True(await _store.SetStateAsync("rec-leased", RecordingState.Failed, T0.AddSeconds(41), null, "x", CancellationToken.None));
        Assert.Empty(await _store.ClaimOrphansAsync(T0.AddSeconds(45), grace, stale, CancellationToken.None));
        Assert.Equal(["rec-unleased"], await _store.ClaimOrphansAsync(T0.AddSeconds(50), grace, stale, CancellationToken.None));
    }

    private sealed class HostComparer : IEqualityComparer<HostRecord?>
    {
        public bool Equals(HostRecord? x, HostRecord? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Name == y.Name && x.Recipients.SequenceEqual(y.Recipients) && x.DisplayName == y.DisplayName
            && x.WebhookUrl == y.WebhookUrl && x.CreatedAt == y.CreatedAt;

        public int GetHashCode(HostRecord? obj) => obj?.Id.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
