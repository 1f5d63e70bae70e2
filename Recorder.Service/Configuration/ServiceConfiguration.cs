using Microsoft.Extensions.Configuration;

namespace Recorder.Service.Configuration;

/// <summary>
/// Where settings come from, lowest first: defaults, a JSON file
/// (<c>--config FILE</c> or <c>RECORDER_CONFIG</c>, section "Recorder"), the
/// RECORDER_* environment variables below, then the flags of
/// <c>recorder serve</c>. The table is the configuration reference README.md
/// prints; a test keeps the two equal.
/// </summary>
public static class ServiceConfiguration
{
    public sealed record Setting(string Flag, string Variable, string Key, string Description);

    public static IReadOnlyList<Setting> Settings { get; } =
    [
        new("--urls", "RECORDER_URLS", "urls", "where the API listens (default http://127.0.0.1:8080)"),
        new("--bucket", "RECORDER_BUCKET", "Recorder:Bucket", "the S3 bucket for recordings (required)"),
        new("--prefix", "RECORDER_PREFIX", "Recorder:Prefix", "key prefix inside the bucket"),
        new("--postgres", "RECORDER_POSTGRES", "Recorder:Postgres", "PostgreSQL connection string: jobs and state there, shared by a pool of workers"),
        new("--state-dir", "RECORDER_STATE_DIR", "Recorder:StateDirectory", "the embedded store's folder (default $STATE_DIRECTORY, else ~/.local/state/recorder)"),
        new("--capacity", "RECORDER_CAPACITY", "Recorder:Capacity", "recordings this worker runs at once (default floor(cores × 0.8 / 0.5))"),
        new("--signing-key", "RECORDER_SIGNING_KEY", "Recorder:SigningKey", "the recorder's OpenSSH Ed25519 private key (ssh-keygen -t ed25519 -N ''): every manifest is signed with it (manifest.json.sig); without it manifests are unsigned and verify/audit report them so"),
        new("", "RECORDER_AUDIT_CHECKPOINT_SECONDS", "Recorder:AuditCheckpointSeconds", "how often the audit log gets a signed checkpoint when it grew (default 60; 0: never; needs the signing key)"),
        new("", "RECORDER_OPERATOR_TOKEN", "Recorder:OperatorToken", "the operator's API token (at least 32 characters)"),
        new("", "RECORDER_OPERATOR_TOKEN_FILE", "Recorder:OperatorTokenFile", "a file holding it (e.g. systemd's $CREDENTIALS_DIRECTORY/operator-token); without either, one is generated into the state folder"),
        new("", "RECORDER_PROGRAM", "Recorder:RecorderProgram", "the recorder program recordings run as (default: DIR/recorder beside the service)"),
        new("", "RECORDER_FFMPEG", "Recorder:FfmpegPath", "ffmpeg, for /readyz (default: ffmpeg on PATH)"),
        new("", "RECORDER_ALLOW_LIST", "Recorder:AllowList", "comma-separated host names, addresses and CIDR ranges meeting and webhook URLs may name (default 127.0.0.0/8,::1,localhost)"),
        new("", "RECORDER_PAGE_ORIGINS", "Recorder:PageOrigins", "comma-separated origins (https://host[:port]) of playback pages hosted elsewhere that may call the API from a browser (default: none; the page at /play/ needs none)"),
        new("", "RECORDER_DISPLAY_NAME", "Recorder:DisplayName", "the name the recorder joins meetings under when the host has none (default \"● Recording\")"),
        new("", "RECORDER_DRAIN_TIMEOUT_SECONDS", "Recorder:DrainTimeoutSeconds", "on SIGTERM or stop, how long recordings have to finish their segment (default 60)"),
        new("", "RECORDER_LEASE_SECONDS", "Recorder:LeaseSeconds", "with PostgreSQL: how long a dead worker's recordings wait before another worker takes them over (default 8)"),
        new("", "RECORDER_DEFAULT_MAX_DURATION_SECONDS", "Recorder:DefaultMaxDurationSeconds", "a recording's length when the request gives none (default 14400)"),
        new("", "RECORDER_MAX_DURATION_SECONDS", "Recorder:MaxDurationSeconds", "the longest maxDuration a request may ask for (default 86400)"),
        new("", "RECORDER_SEGMENT_SECONDS", "Recorder:SegmentSeconds", "a recording starts a new segment (its own age file and file key) after this much media (default 3600; 10 to 86400)"),
        new("", "RECORDER_RATE_LIMIT_PER_SECOND", "Recorder:RateLimitPerSecond", "API requests per second per token (default 20, burst RECORDER_RATE_LIMIT_BURST=100)"),
        new("", "RECORDER_RATE_LIMIT_BURST", "Recorder:RateLimitBurst", "requests a token may make at once above the rate (default 100)"),
        new("", "RECORDER_WEBHOOK_RETRY_DELAYS", "Recorder:WebhookRetryDelaysSeconds", "comma-separated seconds between webhook attempts (default 5,30,120,600,1800,3600,7200,14400)"),
    ];

    /// <summary>Adds the file, environment and flag layers; returns an error for an unknown or incomplete flag.</summary>
    public static string? Apply(IConfigurationBuilder builder, IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var flags = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? configFile = environment("RECORDER_CONFIG");
        for (var i = 0; i < args.Count; i++)
        {
            var (name, value) = args[i].Split('=', 2) is [var n, var v] ? (n, (string?)v) : (args[i], null);
            if (value is null)
            {
                if (i + 1 >= args.Count) return $"{name} needs a value";
                value = args[++i];
            }
            if (name == "--config")
            {
                configFile = value;
                continue;
            }
            var setting = Settings.FirstOrDefault(s => s.Flag.Length > 0 && s.Flag == name);
            if (setting is null) return $"unknown option {name} (known: --config, {string.Join(", ", Settings.Where(s => s.Flag.Length > 0).Select(s => s.Flag))})";
            flags[setting.Key] = value;
        }

        if (configFile is not null)
        {
            if (!File.Exists(configFile)) return $"no such configuration file: {configFile}";
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var setting in Settings)
        {
            if (environment(setting.Variable) is not { Length: > 0 } value) continue;
            if (setting.Key is "Recorder:AllowList" or "Recorder:PageOrigins" or "Recorder:WebhookRetryDelaysSeconds")
            {
                var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (var i = 0; i < items.Length; i++) variables[$"{setting.Key}:{i}"] = items[i];
            }
            else
            {
                variables[setting.Key] = value;
            }
        }
        // A number that is not one would otherwise surface as the binder's exception at start-up.
        foreach (var (key, value) in variables.Concat(flags))
        {
            if (value is null || !IsNumeric(key) || int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                continue;
            var setting = Settings.First(s => key == s.Key || key.StartsWith(s.Key + ":", StringComparison.Ordinal));
            var source = flags.ContainsKey(key) ? setting.Flag : setting.Variable;
            return $"{source}: '{value}' is not a whole number";
        }
        builder.AddInMemoryCollection(variables);
        builder.AddInMemoryCollection(flags);
        return null;
    }

    private static bool IsNumeric(string key)
    {
        if (!key.StartsWith(RecorderServiceOptions.Section + ":", StringComparison.Ordinal)) return false;
        var name = key.Split(':')[1];
        var type = typeof(RecorderServiceOptions).GetProperty(name)?.PropertyType;
        return type == typeof(int) || type == typeof(int?) || type == typeof(List<int>);
    }
}
