using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Recorder.Tests.Cli;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Service;

/// <summary>
/// The service with PostgreSQL as its store (RECORDER_POSTGRES): hosts,
/// recordings and Hangfire's jobs live in the database, so a second service on
/// the same database sees the first one's hosts, recordings and schedule.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServicePostgresTests(PostgresFixture postgres, CephFixture ceph, ITestOutputHelper log)
{
    [Fact]
    public async Task Recordings_and_the_schedule_live_in_PostgreSQL()
    {
        using var files = new CliFiles();
        var (hostKey, recipient) = files.NewIdentity("host.key");
        var settings = new Dictionary<string, string?> { ["RECORDER_POSTGRES"] = await postgres.CreateDatabaseAsync("service") };
        var bucket = await ceph.CreateBucketAsync("svcpg");
        string token, done, later;
        await using (var first = await ServiceInstance.StartAsync(ceph, bucket, log, settings))
        {
            (_, token) = await first.AddHostAsync("Pia", [recipient]);
            done = await first.ScheduleAsync(token, new { meeting = "synthetic://?participants=2&seconds=2" });
            later = await first.ScheduleAsync(token, new { meeting = "synthetic://", start = DateTimeOffset.UtcNow.AddDays(1).ToString("O") });
            var recording = await first.WaitUntilEndedAsync(token, done, TimeSpan.FromSeconds(60));
            Assert.Equal("completed", recording.GetProperty("state").GetString());
        }

        await using var second = await ServiceInstance.StartAsync(ceph, bucket, log, settings);
        var again = await second.GetRecordingAsync(token, done);
        Assert.Equal("completed", again.GetProperty("state").GetString());
        var segment = Assert.Single(again.GetProperty("segments").EnumerateArray());
        var file = files.Write("segment.age", await ceph.ReadObjectAsync(segment.GetProperty("uri").GetString()!));
        var age = await ProcessRunner.RunAsync("age", ["-d", "-i", hostKey, "-o", files.PathOf("segment.mp4"), file], TimeSpan.FromMinutes(1));
        Assert.True(age.ExitCode == 0, age.StandardError);
        // Hangfire's schedule is in the database too: the second service has the first one's job for tomorrow.
        var job = Assert.Single(second.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 10));
        Assert.Equal(later, job.Value.Job.Args[0]);
        Assert.Equal("scheduled", (await second.GetRecordingAsync(token, later)).GetProperty("state").GetString());
    }
}
