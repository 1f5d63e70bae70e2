using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recorder.Service.Auth;
using Recorder.Service.Configuration;
using Recorder.Service.Jobs;
using Recorder.Service.Store;

namespace Recorder.Service;

/// <summary>First at start-up: the store's schema, the operator token, one line saying how the service is set up.</summary>
internal sealed class ServiceStartup(IRecorderStore store, OperatorToken operatorToken, RecorderServiceOptions options, RecordingLauncher launcher,
    ServiceSetup setup, ILogger<ServiceStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation(
            "recorder service: bucket {Bucket}, prefix '{Prefix}', store {Store}, capacity {Capacity} recording(s), recording program {Program}, operator token from {TokenSource}",
            options.Bucket, options.Prefix, setup.StoreDescription, setup.Capacity, launcher.Program, operatorToken.Source);
        if (!File.Exists(launcher.Program))
            logger.LogWarning("the recording program {Program} does not exist: recordings will fail until it is installed (README, \"Install\")", launcher.Program);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
