using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recorder.Service;
using Xunit.Abstractions;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// The real recorder service (RecorderServiceApp, as <c>recorder serve</c> runs it)
/// in this process: Kestrel on a free port of 127.0.0.1, the embedded store in a
/// temporary folder, the local Ceph S3, a fresh operator token, and the Release
/// build's <c>recorder</c> launcher as the recording program. Only the variables
/// given here are visible to it; no machine credentials are read.
/// </summary>
public sealed class ServiceInstance : IAsyncDisposable
{
    private readonly DirectoryInfo _stateDirectory;

    private ServiceInstance(WebApplication app, string url, string operatorToken, string bucket, DirectoryInfo stateDirectory)
    {
        App = app;
        Url = url;
        OperatorToken = operatorToken;
        Bucket = bucket;
        _stateDirectory = stateDirectory;
    }

    public WebApplication App { get; }

    /// <summary>The address it listens on, e.g. http://127.0.0.1:41235.</summary>
    public string Url { get; }

    public string OperatorToken { get; }

    public string Bucket { get; }

    public string StateDirectory => _stateDirectory.FullName;

    /// <param name="environment">Extra variables for the service (null values hide a variable).</param>
    /// <param name="configure">Replaces services before the app is built (RecorderServiceApp.Build's hook).</param>
    /// <param name="output">Where the service's log goes; without it the log is dropped.</param>
    public static async Task<ServiceInstance> StartAsync(CephFixture ceph, string bucket, ITestOutputHelper? output = null,
        IReadOnlyDictionary<string, string?>? environment = null, Action<WebApplicationBuilder>? configure = null)
    {
        var state = Directory.CreateTempSubdirectory("recorder-service-");
        var token = "rec_op_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var variables = new Dictionary<string, string?>(CliRunner.CephEnvironment(ceph.Options), StringComparer.Ordinal)
        {
            ["RECORDER_OPERATOR_TOKEN"] = token,
            ["RECORDER_PROGRAM"] = RepositoryPaths.RecorderLauncher,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) variables[name] = value;

        // Hangfire's log provider is process-wide and the previous instance left its disposed
        // logger factory in it: building another service would fail with ObjectDisposedException
        // (InMemoryStorage asks for a logger before this app sets its own). Null: Hangfire's no-op default.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        WebApplication? app = null;
        try
        {
            app = RecorderServiceApp.Build(["--urls", "http://127.0.0.1:0", "--bucket", bucket, "--state-dir", state.FullName],
                name => variables.GetValueOrDefault(name), builder =>
                {
                    builder.Logging.ClearProviders();
                    if (output is not null) builder.Logging.AddProvider(new OutputLoggerProvider(output));
                    configure?.Invoke(builder);
                });
            await app.StartAsync();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                ?? throw new InvalidOperationException("the server reports no addresses");
            var url = addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
            return new ServiceInstance(app, url, token, bucket, state);
        }
        catch
        {
            if (app is not null) await app.DisposeAsync();
            state.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>The CLI's environment for calling this service with <paramref name="token"/> (RECORDER_URL, RECORDER_TOKEN).</summary>
    public IReadOnlyDictionary<string, string?> CliEnvironment(string token) => new Dictionary<string, string?>
    {
        ["RECORDER_URL"] = Url,
        ["RECORDER_TOKEN"] = token,
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync();
        }
        finally
        {
            await App.DisposeAsync();
            Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
            _stateDirectory.Delete(recursive: true);
        }
    }

    private sealed class OutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName);

        public void Dispose()
        {
        }
    }
}
