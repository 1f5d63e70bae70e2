namespace Recorder.Cli;

/// <summary>
/// What <c>--help</c> shows besides the options System.CommandLine lists: an example
/// for every verb, and at the top level the meeting URIs, the environment variables,
/// the exit codes and shell completion. Kept here, in one place, so a test can check
/// that no verb lacks an example.
/// </summary>
public static class CliHelp
{
    /// <summary>Examples by verb path ("encrypt", "hosts add"); each is a command line and a comment.</summary>
    public static IReadOnlyDictionary<string, string[]> Examples { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["keygen"] = ["recorder keygen -o host.key                     # Public key: age1… on stderr"],
        ["encrypt"] =
        [
            "recorder encrypt -r age1… -o talk.mp4.age talk.mp4",
            "tar c notes/ | recorder encrypt -r age1… -o s3://archive/notes.tar.age",
        ],
        ["decrypt"] =
        [
            "recorder decrypt -i host.key -o talk.mp4 talk.mp4.age",
            "recorder decrypt -i host.key --offset 1048576 --length 65536 s3://recordings/host-…/segment-0001.mp4.age > part.bin",
        ],
        ["inspect"] = ["recorder inspect s3://recordings/host-…/segment-0001.mp4.age   # no key needed"],
        ["grant"] = ["recorder grant -i host.key -r age1archivist… -o shared.age talk.mp4.age"],
        ["verify"] = ["recorder verify --trust recorder.pub s3://recordings/host-…/rec-…/manifest.json"],
        ["audit"] = ["recorder audit --bucket recordings --trust recorder.pub --report audit.html"],
        ["record"] =
        [
            "recorder record --meeting \"synthetic://?participants=4&seconds=20\" -r age1… --bucket recordings",
            "RECORDER_MEETING='janus://127.0.0.1:8088/janus?room=1234&pin=…' recorder record -r age1… --bucket recordings --duration 1h",
        ],
        ["demo"] = ["recorder demo -o demo-output                   # a 20 s synthetic meeting, end to end"],
        ["serve"] = ["RECORDER_OPERATOR_TOKEN=$(openssl rand -hex 32) recorder serve --bucket recordings"],
        ["hosts"] = ["recorder hosts add --name Alice -r age1…"],
        ["hosts add"] = ["recorder hosts add --name Alice -r age1… --webhook https://example.org/hook"],
        ["hosts list"] = ["recorder hosts list --json > hosts.json"],
        ["hosts rotate-token"] = ["recorder hosts rotate-token host-5f1c0a9e2b7d"],
        ["hosts retention"] = ["recorder hosts retention host-5f1c0a9e2b7d governance:30"],
        ["hosts set"] = ["recorder hosts set host-5f1c0a9e2b7d --display-name \"● Recording (Alice)\""],
        ["auditors"] = ["recorder auditors add --name \"External audit\""],
        ["auditors add"] = ["recorder auditors add --name \"External audit\" --json"],
        ["auditors list"] = ["recorder auditors list --json"],
        ["schedule"] = ["recorder schedule --meeting \"janus://127.0.0.1:8088/janus?room=1234\" --at 2026-12-24T18:00:00Z --duration 1h"],
        ["status"] = ["recorder status --follow rec-20261205T194902Z-b586080d"],
        ["list"] = ["recorder list --state recording"],
        ["stop"] = ["recorder stop rec-20261205T194902Z-b586080d"],
        ["cancel"] = ["recorder cancel rec-20261205T194902Z-b586080d"],
        ["legal-hold"] = ["recorder legal-hold set rec-20261205T194902Z-b586080d"],
        ["legal-hold set"] = ["recorder legal-hold set rec-20261205T194902Z-b586080d --json"],
        ["legal-hold release"] = ["recorder legal-hold release rec-20261205T194902Z-b586080d"],
        ["completion"] = ["source <(recorder completion bash)            # in ~/.bashrc; zsh: source <(recorder completion zsh)"],
    };

    /// <summary>The sections after the top-level help's list of verbs.</summary>
    public const string TopLevelSections = """
        Global options:
          -q, --quiet       no progress, notices or warnings on stderr; errors and results still print

        Meeting URIs (record --meeting, schedule --meeting):
          synthetic://?participants=4&seconds=20
              a built-in simulated meeting; also join=3:5,4:10 and leave=2:12 (participant:seconds),
              marker=5 (clap and flash every 5 s; 0 for none), names=Ann,Bo, size=640x360 (camera),
              pace=fast (faster than real time), grain=4 (film grain, for benchmarks)
          janus://HOST:PORT/janus?room=1234[&pin=…][&secret=…][&idle=120][&reconnect=30][&display=NAME]
              a Janus VideoRoom joined without publishing; idle: seconds without a publisher before
              the recording ends; reconnect: seconds Janus may stay unreachable; display: the name shown

        Environment:
          AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL   an S3-compatible server (path-style addressing)
          AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE
                                                  S3 and KMS credentials
          AWS_REGION, AWS_DEFAULT_REGION          the region (default us-east-1)
          AWS_ENDPOINT_URL_KMS                    a KMS endpoint for kms: recipients
          AWS_REQUEST_CHECKSUM_CALCULATION, AWS_RESPONSE_CHECKSUM_VALIDATION
                                                  when_required for servers such as Ceph
          AWS_MAX_ATTEMPTS                        attempts the AWS SDK makes per request
          RECORDER_URL, RECORDER_TOKEN            the service and token for the API verbs
          RECORDER_MEETING                        record's meeting URI (keeps a PIN out of ps)
          RECORDER_SIGNING_KEY                    record/serve: the OpenSSH Ed25519 key that signs manifests
          RECORDER_DEBUG=1                        the details (stack trace) of a failure on stderr
          RECORDER_OPERATOR_TOKEN, RECORDER_BUCKET, RECORDER_POSTGRES and the other RECORDER_*
                                                  settings of 'recorder serve': README.md, "Configuration"

        Exit codes:
          0  success
          1  failure (what failed and what to do are on stderr)
          2  usage error: a bad argument or flag, found before anything starts
          3  audit or verify found a violation
          4  decrypt wrote the authenticated prefix of a truncated file
          5  record --events stopped because its lease ran out (under the service: taken over, not failed)

        Shell completion:
          bash: source <(recorder completion bash)     zsh: source <(recorder completion zsh)
        """;
}
