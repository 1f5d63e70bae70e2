using System.ComponentModel.DataAnnotations;

namespace Recorder.Service.Configuration;

/// <summary>
/// The service's settings (configuration section "Recorder"; environment
/// variables and flags in <see cref="ServiceConfiguration"/>; every option,
/// its variable and default in README.md, "Configuration").
/// </summary>
public sealed class RecorderServiceOptions
{
    public const string Section = "Recorder";

    /// <summary>The S3 bucket recordings go to (required).</summary>
    [Required(ErrorMessage = "no bucket: set RECORDER_BUCKET or --bucket")]
    public string Bucket { get; set; } = "";

    /// <summary>Key prefix inside the bucket.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Where the embedded store lives (default: $STATE_DIRECTORY from systemd, else ~/.local/state/recorder).</summary>
    public string? StateDirectory { get; set; }

    /// <summary>A PostgreSQL connection string: jobs and state go there instead of the embedded store.</summary>
    public string? Postgres { get; set; }

    /// <summary>The operator's token (or <see cref="OperatorTokenFile"/>); generated into the state directory when neither is set.</summary>
    public string? OperatorToken { get; set; }

    public string? OperatorTokenFile { get; set; }

    /// <summary>The OpenSSH Ed25519 private key file that signs manifests (passed to each recording process as <c>--signing-key</c>).</summary>
    public string? SigningKey { get; set; }

    /// <summary>How often the audit log gets a signed checkpoint when it grew (0: never; needs <see cref="SigningKey"/>).</summary>
    public int AuditCheckpointSeconds { get; set; } = 60;

    /// <summary>Recordings this worker runs at once (default: see <see cref="WorkerCapacity"/>); the rest wait in the queue.</summary>
    [Range(1, 256)]
    public int? Capacity { get; set; }

    /// <summary>The <c>recorder</c> program each recording runs as (default: installed beside the service, DIR/recorder).</summary>
    public string? RecorderProgram { get; set; }

    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>
    /// Where meeting and webhook URLs may point: host names (exact), IP addresses
    /// and CIDR ranges. Anything else is refused (a service that connects
    /// wherever it is told is an SSRF hole). Default: loopback only.
    /// </summary>
    /// <remarks>Null until configured: the configuration binder appends to a list that already has items.</remarks>
    public List<string>? AllowList { get; set; }

    public IReadOnlyList<string> EffectiveAllowList => AllowList is { Count: > 0 } list ? list : ["127.0.0.0/8", "::1", "localhost"];

    /// <summary>
    /// Origins (scheme://host[:port]) of playback pages hosted elsewhere that may call this API from a browser
    /// (CORS: bearer token, Range; no cookies). Default: none, the page served at /play/ is same-origin.
    /// </summary>
    /// <remarks>Null until configured, as <see cref="AllowList"/>.</remarks>
    public List<string>? PageOrigins { get; set; }

    /// <summary>The name the recorder joins meetings under when the host set none (participants see they are recorded).</summary>
    [Required, StringLength(64, MinimumLength = 1)]
    public string DisplayName { get; set; } = "● Recording";

    /// <summary>On SIGTERM (or a stop), how long a recording has to finish its segment and complete its upload before it is aborted.</summary>
    [Range(1, 3600)]
    public int DrainTimeoutSeconds { get; set; } = 60;

    /// <summary>How long a recording may take to join and capture its first frame before the job gives up on it.</summary>
    [Range(5, 3600)]
    public int JoinTimeoutSeconds { get; set; } = 120;

    [Range(1, 7 * 86_400)]
    public int DefaultMaxDurationSeconds { get; set; } = 4 * 3600;

    [Range(1, 7 * 86_400)]
    public int MaxDurationSeconds { get; set; } = 24 * 3600;

    /// <summary>A recording starts a new segment (its own age file and file key) after this much media.</summary>
    [Range(10, 86_400)]
    public int SegmentSeconds { get; set; } = 3600;

    [Range(1, 3660)]
    public int MaxScheduleAheadDays { get; set; } = 366;

    [Range(1, 64)]
    public int MaxRecipientsPerHost { get; set; } = 8;

    /// <summary>API requests per second per token (or per address without one), and the burst above it.</summary>
    [Range(1, 100_000)]
    public int RateLimitPerSecond { get; set; } = 20;

    [Range(1, 100_000)]
    public int RateLimitBurst { get; set; } = 100;

    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Delays between webhook delivery attempts; a message is given up after the last one.</summary>
    public List<int>? WebhookRetryDelaysSeconds { get; set; }

    public IReadOnlyList<int> EffectiveWebhookRetryDelaysSeconds =>
        WebhookRetryDelaysSeconds is { Count: > 0 } list ? list : [5, 30, 120, 600, 1800, 3600, 7200, 14_400];

    [Range(1, 300)]
    public int WebhookTimeoutSeconds { get; set; } = 10;

    [Range(1, 64)]
    public int WebhookWorkers { get; set; } = 2;

    /// <summary>How often a running recording's job checks for a stop request.</summary>
    [Range(50, 60_000)]
    public int StopPollMilliseconds { get; set; } = 500;

    /// <summary>
    /// How long a worker's lease on a running recording lasts without renewal (renewed every second). A worker that
    /// dies is replaced once it has run out; its recording process stops writing a quarter of it earlier.
    /// </summary>
    [Range(3, 300)]
    public int LeaseSeconds { get; set; } = 8;

    /// <summary>How often a worker renews its leases and looks for recordings whose worker died.</summary>
    [Range(100, 60_000)]
    public int LeaseRenewMilliseconds { get; set; } = 1000;

    /// <summary>Extra environment for recording processes (tests: the KMS endpoint).</summary>
    public Dictionary<string, string> ChildEnvironment { get; set; } = [];
}
