using System.Collections;
using System.Globalization;
using Recorder.Service.Configuration;
using Recorder.Service.Store;
using Recorder.Storage;

namespace Recorder.Service.Jobs;

/// <summary>
/// How a recording process is started: the <c>recorder</c> program (the
/// launcher script installed beside the service, which turns off the
/// runtime's diagnostics files and core dumps before the native program
/// starts), its arguments, and an environment with the S3 settings and
/// without the service's own secrets.
/// </summary>
public sealed class RecordingLauncher
{
    private readonly RecorderServiceOptions _options;

    /// <summary>AWS settings besides S3's that a recording process uses (KMS recipients), passed on from the service's configuration.</summary>
    private static readonly string[] PassedOn = ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KMS", "AWS_DEFAULT_REGION", "AWS_EC2_METADATA_DISABLED", "AWS_MAX_ATTEMPTS"];

    public RecordingLauncher(RecorderServiceOptions options, S3ConnectionOptions s3, ServiceEnvironment serviceEnvironment)
    {
        _options = options;
        Program = options.RecorderProgram is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "recorder"));
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        // The service's configuration (operator token, database password) is not the child's business.
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith("RECORDER_", StringComparison.Ordinal)) environment[name] = null;
        }
        foreach (var name in PassedOn)
        {
            if (serviceEnvironment.Get(name) is { Length: > 0 } value) environment[name] = value;
        }
        environment["AWS_ENDPOINT_URL_S3"] = s3.ServiceUrl;
        environment["AWS_REGION"] = s3.Region;
        environment["AWS_ACCESS_KEY_ID"] = s3.AccessKeyId;
        environment["AWS_SECRET_ACCESS_KEY"] = s3.SecretAccessKey;
        environment["AWS_SESSION_TOKEN"] = s3.SessionToken;
        var checksums = s3.ChecksumsWhenRequiredOnly ? "when_required" : null;
        environment["AWS_REQUEST_CHECKSUM_CALCULATION"] = checksums;
        environment["AWS_RESPONSE_CHECKSUM_VALIDATION"] = checksums;
        foreach (var (name, value) in options.ChildEnvironment) environment[name] = value;
        ChildEnvironment = environment;
    }

    /// <summary>The program recordings run as.</summary>
    public string Program { get; }

    /// <summary>Variables to set (null: remove) on top of the service's environment.</summary>
    public IReadOnlyDictionary<string, string?> ChildEnvironment { get; }

    /// <summary>
    /// The meeting goes in the environment (RECORDER_MEETING), not in the arguments: a Janus
    /// PIN or room secret in a command line is readable by every user of the machine.
    /// </summary>
    public IReadOnlyDictionary<string, string?> EnvironmentFor(RecordingRecord recording) =>
        new Dictionary<string, string?>(ChildEnvironment, StringComparer.Ordinal) { ["RECORDER_MEETING"] = recording.MeetingUri };

    public IReadOnlyList<string> Arguments(RecordingRecord recording, HostRecord host, LeasedRun run)
    {
        List<string> arguments =
        [
            "record", "--events",
            "--recording-id", recording.Id,
            "--host", recording.HostId,
            "--bucket", _options.Bucket,
            "--prefix", _options.Prefix,
            "--duration", string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, Math.Ceiling(run.DurationSeconds))}s"),
            "--segment", string.Create(CultureInfo.InvariantCulture, $"{_options.SegmentSeconds}s"),
            "--layout", recording.Layout,
            "--size", $"{recording.Width}x{recording.Height}",
            "--display-name", host.DisplayName.Length > 0 ? host.DisplayName : _options.DisplayName,
            "--lease-epoch", run.Epoch.ToString(CultureInfo.InvariantCulture),
        ];
        if (run.Continue) arguments.Add("--continue");
        if (run.FinishOnly) arguments.Add("--finish-only");
        if (_options.SigningKey is { Length: > 0 } signingKey) arguments.AddRange(["--signing-key", Path.GetFullPath(signingKey)]);
        if (host.Retention is { Length: > 0 } retention) arguments.AddRange(["--retention", retention]);
        foreach (var recipient in host.Recipients) arguments.AddRange(["-r", recipient]);
        return arguments;
    }
}

/// <summary>
/// One run of a recording under a lease: its epoch (the fencing counter), whether it takes the recording over from a
/// worker that died (<paramref name="Continue"/>), with nothing left to record (<paramref name="FinishOnly"/>), and how
/// much media it may record at most.
/// </summary>
public sealed record LeasedRun(long Epoch, bool Continue, bool FinishOnly, double DurationSeconds);
