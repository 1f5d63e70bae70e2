using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recorder.Service.Configuration;
using Recorder.Service.Jobs;
using Recorder.Service.Store;

namespace Recorder.Service.Health;

/// <summary>
/// S3 answers for the bucket with the one listing the service's least-privilege
/// policy allows (ListMultipartUploads on its prefix): endpoint, credentials
/// and bucket in one request.
/// </summary>
public sealed class S3ReadyCheck(IAmazonS3 s3, RecorderServiceOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = options.Bucket, Prefix = options.Prefix, MaxUploads = 1 },
                timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"bucket {options.Bucket} answers");
        }
        catch (Exception e) when (e is AmazonS3Exception or Amazon.Runtime.AmazonClientException or OperationCanceledException or HttpRequestException)
        {
            return HealthCheckResult.Unhealthy($"bucket {options.Bucket}: {(e is OperationCanceledException ? "no answer within 5 s" : e.Message)}");
        }
    }
}

/// <summary>The service's store and Hangfire's job storage answer.</summary>
public sealed class JobStorageReadyCheck(IRecorderStore store, JobStorage jobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            var servers = jobs.GetMonitoringApi().Servers().Count;
            return servers > 0
                ? HealthCheckResult.Healthy($"store and job storage answer; {servers} Hangfire server(s)")
                : HealthCheckResult.Unhealthy("no Hangfire server is running");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the store or job storage does not answer: {e.Message}");
        }
    }
}

/// <summary>
/// ffmpeg and the recorder program run (<c>-version</c>, <c>--version</c>);
/// a result is kept for 30 s so probes do not start processes every second.
/// </summary>
public sealed class ProgramsReadyCheck(RecordingLauncher launcher, RecorderServiceOptions options, TimeProvider clock) : IHealthCheck
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } last && clock.GetUtcNow() - last.At < KeepFor) return last.Result;
            var problems = new List<string>();
            if (await RunsAsync(options.FfmpegPath, "-version", cancellationToken).ConfigureAwait(false) is { } ffmpeg) problems.Add($"ffmpeg: {ffmpeg}");
            if (await RunsAsync(launcher.Program, "--version", cancellationToken).ConfigureAwait(false) is { } recorder) problems.Add($"recorder: {recorder}");
            var result = problems.Count == 0
                ? HealthCheckResult.Healthy($"ffmpeg and {launcher.Program} run")
                : HealthCheckResult.Unhealthy(string.Join("; ", problems));
            _last = (clock.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Null when the program ran and exited 0; otherwise what went wrong.</summary>
    private static async Task<string?> RunsAsync(string program, string argument, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, argument)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("not started");
            process.StandardInput.Close();
            var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(cancellationToken), process.StandardError.ReadToEndAsync(cancellationToken));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                await drain.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return $"{program} {argument} did not finish within 10 s";
            }
            return process.ExitCode == 0 ? null : $"{program} {argument} exited with {process.ExitCode}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"cannot run {program}: {e.Message}";
        }
    }
}
