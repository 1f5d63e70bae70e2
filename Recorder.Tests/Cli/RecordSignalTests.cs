using Recorder.Pipeline;
using Recorder.Pipeline.Events;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Cli;

/// <summary>
/// How a supervisor stops <c>record --events</c>: a first SIGTERM finishes the
/// segment, completes the upload and writes the manifest (exit 0); a second
/// one aborts (exit 1). Guards against System.CommandLine's own signal
/// handling, which turned the first SIGTERM into an abort.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RecordSignalTests(CephFixture ceph, ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly CliFiles _files = new();

    [SkippableTheory]
    [InlineData("build")]
    [InlineData("native")]
    public async Task A_first_SIGTERM_finishes_the_segment_and_completes_the_recording(string form)
    {
        await using var child = await StartRecordingAsync(form, "sigterm");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await child.SignalAsync("TERM");
        var exitCode = await child.WaitForExitAsync(Timeout);
        var events = Events(child);

        Assert.True(exitCode == 0, child.StandardError);
        Assert.Contains("recorder: stopping: finishing the current segment (signal again to abort)\n", child.StandardError);
        Assert.Equal(["state finalizing", "segment", "completed"], events.TakeLast(3).Select(e => $"{e.Event} {e.NewState}".Trim()));
        Assert.Equal("the recording was stopped", events[^1].Reason);
        var manifest = RecordingManifest.Parse(await ceph.ReadObjectAsync(events[^1].Manifest!));
        Assert.Equal(("completed", events[^2].CompletedSegment!.Sha256), (manifest.State, Assert.Single(manifest.Segments).Sha256));
    }

    [SkippableTheory]
    [InlineData("build")]
    [InlineData("native")]
    public async Task A_second_SIGTERM_aborts(string form)
    {
        await using var child = await StartRecordingAsync(form, "abort");
        await child.SignalAsync("TERM");
        await child.SignalAsync("TERM");
        var exitCode = await child.WaitForExitAsync(Timeout);
        var events = Events(child);

        Assert.True(exitCode == 1, child.StandardError);
        Assert.Contains("recorder: aborting\n", child.StandardError);
        Assert.Equal((RecordingEvent.Failed, "cancelled"), (events[^1].Event, events[^1].Error));
        Assert.DoesNotContain(events, e => e.Event is RecordingEvent.Segment or RecordingEvent.Completed);
    }

    /// <summary>A 30 s meeting under --events, returned once its first frame is announced (the signal handlers are in place).</summary>
    private async Task<SupervisedProcess> StartRecordingAsync(string form, string purpose)
    {
        var (_, recipient) = _files.NewIdentity($"{purpose}.key");
        var bucket = await ceph.CreateBucketAsync(purpose);
        var child = SupervisedProcess.Start(RepositoryPaths.Launcher(form),
            ["record", "--meeting", "synthetic://?participants=2&seconds=30", "-r", recipient, "--bucket", bucket, "--events"],
            CliRunner.CephEnvironment(ceph.Options));
        try
        {
            await child.WaitForLineAsync(l => RecordingEvent.Parse(l).NewState == RecordingEvent.StateRecording, Timeout);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    private List<RecordingEvent> Events(SupervisedProcess child)
    {
        foreach (var line in child.Lines) log.WriteLine(line);
        log.WriteLine(child.StandardError);
        return child.Lines.Select(RecordingEvent.Parse).Where(e => e.Event != RecordingEvent.Progress).ToList();
    }

    public void Dispose() => _files.Dispose();
}
