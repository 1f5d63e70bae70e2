using System.Text.Json;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Recorder.Service.Api;
using Recorder.Service.Auth;
using Recorder.Service.Configuration;
using Recorder.Service.Jobs;
using Recorder.Service.Metrics;
using Recorder.Service.Store;
using Recorder.Service.Web;

namespace Recorder.Service;

/// <summary>The recorder service as a web application: configuration, services, middleware and endpoints.</summary>
public static class RecorderServiceApp
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <param name="args">The flags of <c>recorder serve</c> (ServiceConfiguration).</param>
    /// <param name="environment">Where RECORDER_* and AWS_* variables are read (tests pass their own).</param>
    /// <param name="configure">Lets tests replace services before the app is built.</param>
    public static WebApplication Build(IReadOnlyList<string> args, Func<string, string?>? environment = null, Action<WebApplicationBuilder>? configure = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        if (ServiceConfiguration.Apply(builder.Configuration, args, environment) is { } error) throw new ServiceConfigurationException(error);
        builder.Host.UseSystemd();
        // One line per request is the reverse proxy's job; the service logs what it decides.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.WebHost.UseUrls(builder.Configuration["urls"] is { Length: > 0 } urls ? urls : DefaultUrl);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue("Recorder:MaxRequestBodyBytes", 64L * 1024);
        });
        builder.Services.AddRecorderService(builder.Configuration, environment);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors(); // before authentication: a preflight carries no token
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        MapEndpoints(app);
        return app;
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapOpenApi();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealthAsync });

        var metrics = app.Services.GetRequiredService<RecorderMetrics>();
        var jobs = app.Services.GetRequiredService<JobStorage>();
        var store = app.Services.GetRequiredService<IRecorderStore>();
        metrics.Registry.AddBeforeCollectCallback(async cancellationToken => metrics.SetQueues(
            jobs.GetMonitoringApi().EnqueuedCount(RecordingJob.Queue),
            await store.CountRecordingsInStateAsync(RecordingState.Scheduled, cancellationToken).ConfigureAwait(false)));
        app.MapMetrics("/metrics", metrics.Registry);

        app.MapRecordingEndpoints();
        app.MapHostEndpoints();
        app.MapComplianceEndpoints();
        app.MapPlaybackEndpoints();
        app.MapPlaybackPage();

        // The dashboard is the operator's: a browser asks for the token (Basic, any user name) before Hangfire's own check.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/hangfire", StringComparison.Ordinal), branch => branch.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated != true) await context.ChallengeAsync().ConfigureAwait(false);
            else if (!context.User.IsInRole(Roles.Operator)) await context.ForbidAsync().ConfigureAwait(false);
            else await next(context).ConfigureAwait(false);
        }));
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new OperatorDashboardAuthorization()],
            DisplayStorageConnectionString = false,
            AppPath = null,
            DashboardTitle = "Recorder jobs",
        }, jobs);
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Entries.Count == 0 ? "alive" : report.Status == HealthStatus.Healthy ? "ready" : "not ready",
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), detail = e.Value.Description }),
        }, JsonBody.Options));
    }

    private sealed class OperatorDashboardAuthorization : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Operator);
    }
}

/// <summary>The flags or variables do not make a configuration (exit 2, like a usage error).</summary>
public sealed class ServiceConfigurationException(string message) : Exception(message);
