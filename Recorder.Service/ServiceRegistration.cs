using System.Security.Claims;
using System.Threading.RateLimiting;
using Amazon.S3;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recorder.Service.Api;
using Recorder.Service.Auth;
using Recorder.Service.Configuration;
using Recorder.Service.Health;
using Recorder.Service.Jobs;
using Recorder.Service.Metrics;
using Recorder.Service.Store;
using Recorder.Service.Webhooks;
using Recorder.Storage;

namespace Recorder.Service;

/// <summary>Every service of the recorder service, registered in one place.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddRecorderService(this IServiceCollection services, IConfiguration configuration, Func<string, string?> environment)
    {
        services.AddOptions<RecorderServiceOptions>().Bind(configuration.GetSection(RecorderServiceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<RecorderServiceOptions>, SigningKeyValidation>();
        services.AddSingleton<IValidateOptions<RecorderServiceOptions>, PageOriginsValidation>();
        // A playback page hosted elsewhere (docs/playback.md): its origin may call the API with a bearer token and Range.
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<RecorderServiceOptions>>((cors, recorder) =>
            cors.AddDefaultPolicy(policy => policy.WithOrigins([.. recorder.Value.PageOrigins ?? []])
                .WithMethods("GET", "POST", "DELETE").WithHeaders("Authorization", "Content-Type", "Range")
                .WithExposedHeaders("Content-Range", "Content-Length", "Accept-Ranges").SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RecorderServiceOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new ServiceEnvironment(environment));
        services.TryAddSingleton(_ => S3ConnectionOptions.FromEnvironment(environment));
        services.TryAddSingleton<IAmazonS3>(sp => sp.GetRequiredService<S3ConnectionOptions>().CreateClient());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<RecorderServiceOptions>();
            var capacity = options.Capacity ?? WorkerCapacity.Default(Environment.ProcessorCount);
            var state = StatePaths.Directory(options, environment);
            return options.Postgres is { Length: > 0 }
                ? new ServiceSetup(state, capacity, "PostgreSQL", EmbeddedJobs: false)
                : new ServiceSetup(state, capacity, $"SQLite {Path.Combine(state, SqliteRecorderStore.FileName)}", EmbeddedJobs: true);
        });
        services.AddSingleton<IRecorderStore>(sp =>
        {
            var setup = sp.GetRequiredService<ServiceSetup>();
            return setup.EmbeddedJobs
                ? new SqliteRecorderStore(Path.Combine(setup.StateDirectory, SqliteRecorderStore.FileName))
                : new PostgresRecorderStore(sp.GetRequiredService<RecorderServiceOptions>().Postgres!);
        });
        services.AddSingleton(sp => OperatorToken.Load(sp.GetRequiredService<RecorderServiceOptions>(), EnsureDirectory(sp.GetRequiredService<ServiceSetup>().StateDirectory),
            sp.GetRequiredService<ILogger<OperatorToken>>()));
        services.AddSingleton(sp => new TargetAllowList(sp.GetRequiredService<RecorderServiceOptions>().EffectiveAllowList));
        services.AddSingleton<RecordingRequestValidator>();
        services.AddSingleton<HostRegistration>();
        services.AddSingleton<RecordingLauncher>();
        services.AddSingleton<RecorderMetrics>();
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<RecordingScheduler>();
        services.AddSingleton<RecordingServices>();
        services.AddTransient<RecordingJob>();
        services.AddTransient<WebhookJob>();
        services.AddHttpClient(WebhookJob.HttpClientName, (sp, client) =>
                client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<RecorderServiceOptions>().WebhookTimeoutSeconds))
            // A redirect would lead the request off the allow-list.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) });

        // Hosted services start in this order: store and token, then the restored schedule, then Hangfire's servers.
        services.AddHostedService<ServiceStartup>();
        services.AddHostedService<StartupReconciler>(); // embedded store only: PostgreSQL keeps Hangfire's jobs itself
        services.AddSingleton<Recorder.Service.Audit.AuditTrail>();
        services.AddHostedService<Recorder.Service.Audit.AuditCheckpointService>();
        // Registered after the checkpoint service, so it stops first: its queue is drained before the last checkpoint.
        services.AddHostedService(sp => sp.GetRequiredService<Recorder.Service.Audit.AuditTrail>());
        services.AddHostedService<LeaseWatcher>(); // PostgreSQL only: take-overs of recordings whose worker died
        AddJobs(services);

        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Operator, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Roles.Host, p => p.RequireRole(Roles.Host))
            .AddPolicy(Roles.Writers, p => p.RequireRole(Roles.Operator, Roles.Host))
            .AddPolicy(Roles.Readers, p => p.RequireRole(Roles.Operator, Roles.Host, Roles.Auditor));
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<RecorderServiceOptions>(ConfigureRateLimiter);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.DescribeFrameworkStatus);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Recorder";
            document.Info.Description = "Encrypted cloud recording of meetings: hosts start and follow recordings; operators register hosts; auditors read. " +
                "Authenticate with Authorization: Bearer TOKEN. Errors are RFC 9457 problem details.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks()
            .AddCheck<S3ReadyCheck>("s3", tags: ["ready"])
            .AddCheck<JobStorageReadyCheck>("job-storage", tags: ["ready"])
            .AddCheck<ProgramsReadyCheck>("programs", tags: ["ready"]);
        services.AddSingleton<ProgramsReadyCheck>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(configuration.GetValue($"{RecorderServiceOptions.Section}:DrainTimeoutSeconds", 60) + 30));
        return services;
    }

    /// <summary>
    /// Hangfire with a storage, filters and activator of this service's own
    /// (not Hangfire's process-wide defaults), so two services in one process
    /// (tests) stay apart. Two servers: "recordings" with one worker per
    /// recording of capacity, "webhooks" apart so deliveries never wait for room.
    /// </summary>
    private static void AddJobs(IServiceCollection services)
    {
        services.AddSingleton(sp => HangfireLogBridge.Instance.Attach(sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<JobStorage>(sp =>
        {
            sp.GetRequiredService<HangfireLogAttachment>(); // Hangfire's log goes to this host from here on
            if (sp.GetRequiredService<ServiceSetup>().EmbeddedJobs) return new InMemoryStorage(new InMemoryStorageOptions());
            var options = new PostgreSqlStorageOptions
            {
                // A due job starts within a second (LISTEN/NOTIFY for new ones); a dead worker's job is
                // visible again after the invisibility timeout (../shared/notes/hangfire.md: the pool
                // of workers sets these from its failover goal).
                QueuePollInterval = TimeSpan.FromSeconds(1),
                EnableLongPolling = true,
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
                // A lock row whose holder lost its connection (a database restart cuts them all) cannot be
                // deleted by it and blocks everyone until it is this old: with the default 10 min, a restart
                // that hit the schedule poller mid-poll held every scheduled recording back for 10 minutes
                // (measured: A_PostgreSQL_restart_under_the_pool_loses_nothing). Hangfire's locks here are
                // all held for one short query (no [DisableConcurrentExecution]; recordings have leases), and
                // a lock taken twice only repeats a state change that Hangfire checks (scheduled → enqueued).
                DistributedLockTimeout = TimeSpan.FromSeconds(15),
                PrepareSchemaIfNecessary = true,
            };
            return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(sp.GetRequiredService<RecorderServiceOptions>().Postgres!, options), options);
        });
        services.AddSingleton<IJobFilterProvider>(sp =>
        {
            var filters = new JobFilterCollection();
            filters.Add(new StatisticsHistoryAttribute());
            filters.Add(new ContinuationsSupportAttribute());
            filters.Add(WebhookRetryFilter.Create(sp.GetRequiredService<RecorderServiceOptions>().EffectiveWebhookRetryDelaysSeconds));
            return new JobFilterProviderCollection(filters, new JobFilterAttributeFilterProvider());
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(c => c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
            .UseLogProvider(HangfireLogBridge.Instance));
        services.AddHangfireServer((sp, o) =>
        {
            var options = sp.GetRequiredService<RecorderServiceOptions>();
            o.ServerName = $"{Environment.MachineName}:recordings";
            o.Queues = [RecordingJob.Queue];
            o.WorkerCount = sp.GetRequiredService<ServiceSetup>().Capacity;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            // The job's token fires at once; the recording then has the drain timeout to finish its segment.
            o.ShutdownTimeout = TimeSpan.FromSeconds(options.DrainTimeoutSeconds + 20);
        });
        services.AddHangfireServer((sp, o) =>
        {
            o.ServerName = $"{Environment.MachineName}:webhooks";
            o.Queues = [WebhookJob.Queue];
            o.WorkerCount = sp.GetRequiredService<RecorderServiceOptions>().WebhookWorkers;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
    }

    private static void ConfigureRateLimiter(RateLimiterOptions options, RecorderServiceOptions settings)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = new TokenRateLimiter(context => context.User.FindFirstValue(Roles.PrincipalIdClaim) is { } principal
                ? $"principal:{principal}"
                : $"address:{context.Connection.RemoteIpAddress}",
            settings.RateLimitPerSecond, settings.RateLimitBurst);
        options.OnRejected = async (context, _) =>
        {
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "too many requests for this token",
                $"at most {settings.RateLimitPerSecond} requests per second, bursts of {settings.RateLimitBurst}; wait and retry").ConfigureAwait(false);
        };
    }

    private static string EnsureDirectory(string path)
    {
        if (!Directory.Exists(path)) Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
