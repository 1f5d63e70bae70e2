using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Amazon.S3;
using Recorder.Cli.Api;
using Recorder.Cli.IO;
using Recorder.Cli.S3;
using Recorder.Crypto;
using Recorder.Crypto.Recipients;
using Recorder.Pipeline;
using Recorder.Pipeline.Audit;
using Recorder.Storage;

namespace Recorder.Cli.Commands;

/// <summary>
/// <c>recorder demo</c>: the quick start, the product as a host uses it. A host
/// creates a key; the service starts (embedded store); the operator registers
/// the host with its public key; the host asks the API for a recording of a
/// 20-second synthetic meeting (one participant leaves, one joins) and follows
/// its states while a recording process records it in real time into S3,
/// encrypted for that key only and its manifest signed with the service's
/// signing key; then an auditor verifies the stored objects without a key
/// (<see cref="RecordingVerifier"/>, as <c>recorder verify</c>), and the
/// archivist decrypts them with it. Needs an S3
/// endpoint (scripts/demo.sh starts a local one) and the service installed
/// beside recorder (README, "Install").
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    public const string Meeting = "synthetic://?participants=4&seconds=20&join=4:6&leave=2:14";

    public Command Build(CliContext context)
    {
        var folder = new Option<string>("--output", "-o") { Description = "folder for the host key and the decrypted recording", HelpName = "DIR", DefaultValueFactory = _ => "demo-output" };
        var bucket = new Option<string>("--bucket") { Description = "the S3 bucket (created if missing)", HelpName = "B", DefaultValueFactory = _ => "recordings" };
        var meeting = new Option<string>("--meeting") { Description = "the meeting to record", HelpName = "URI", DefaultValueFactory = _ => Meeting };
        var command = new Command("demo", "record a synthetic meeting end to end, then check and decrypt it") { folder, bucket, meeting };
        command.SetAction(async (parse, ct) =>
        {
            if (context.Console.Environment("AWS_ENDPOINT_URL_S3") is not { Length: > 0 })
                throw new CliException("no S3 endpoint: AWS_ENDPOINT_URL_S3 is not set", "scripts/demo.sh starts a local S3 (Ceph) and runs this demo");
            var bucketName = S3.S3BucketName.Check(parse.GetValue(bucket)!, "--bucket"); // before anything is created
            var dir = parse.GetValue(folder)!;
            Directory.CreateDirectory(dir);
            var keyPath = Path.Combine(dir, "host.key");
            if (File.Exists(keyPath))
            {
                // Never lose a key: an earlier run's (or anyone's) host.key is kept under another name.
                var kept = $"{keyPath}.{File.GetLastWriteTimeUtc(keyPath):yyyyMMdd'T'HHmmss'Z'}";
                File.Move(keyPath, kept, overwrite: false);
                context.Output.Notice($"recorder: demo: kept the earlier {keyPath} as {kept}");
            }

            using var host = X25519Identity.Generate();
            await KeygenCommand.WriteIdentityAsync(keyPath, host, context, ct);
            Say(context, $"1. the host created its key: {keyPath} (public key {host.Recipient})");

            var signingKey = await SigningKeyAsync(context, dir, ct);
            await EnsureBucketAsync(context.Services.S3, bucketName, ct);
            await using var service = await DemoService.StartAsync(context, bucketName, signingKey.Path, ct);
            Say(context, $"2. the service runs at {service.Operator.DisplayUrl} (process {service.ProcessId}, embedded store, bucket {bucketName}), signing manifests with {signingKey.Path} ({signingKey.Fingerprint})");
            string hostToken;
            using (var asOperator = new ServiceClient(service.Operator))
            {
                var created = await asOperator.SendAsync(HttpMethod.Post, "hosts", new CreateHostRequest("Demo host", [host.Recipient.ToString()], null, null, null),
                    ApiJson.Default.CreateHostRequest, ApiJson.Default.HostCreated, null, ct);
                hostToken = created.Token;
                Say(context, $"3. the operator registered the host: {created.HostId}, with its public key only (its API token is shown once, to the host)");
            }

            using var asHost = new ServiceClient(service.As(hostToken, "the host's token"));
            var recording = await asHost.SendAsync(HttpMethod.Post, "recordings", new CreateRecordingRequest(parse.GetValue(meeting)!, null, null, null, null, null),
                ApiJson.Default.CreateRecordingRequest, ApiJson.Default.RecordingCreated, null, ct);
            Say(context, $"4. the host asked for a recording of {parse.GetValue(meeting)}: {recording.RecordingId}; following its states");
            var final = await FollowAsync(context, asHost, recording.RecordingId, ct);
            if (final.State != "completed")
                throw new CliException($"recording {final.RecordingId} {final.State}: {final.Error ?? final.EndReason}");
            var manifestUri = final.Manifest ?? throw new CliException($"recording {final.RecordingId} completed without a manifest");
            var manifest = RecordingManifest.Parse(await ReadObjectAsync(context, manifestUri, ct));

            var store = new S3ObjectStore(context.Services.S3);
            Say(context, $"5. an auditor verifies {manifestUri} without any key, trusting {signingKey.Path}.pub (as: recorder verify --trust {signingKey.Path}.pub {manifestUri})");
            await AuditAsync(context, store, manifestUri, signingKey.Path + ".pub", ct);

            Say(context, "6. the archivist decrypts with the host's key");
            var files = new List<string>();
            foreach (var segment in manifest.Segments)
                files.Add(await DecryptAsync(context, store, segment, host, Path.Combine(dir, $"recording-{segment.Number:0000}.mp4"), ct));

            context.Output.Lines([
                $"recording {manifest.RecordingId}: {manifest.Segments.Count} segment(s), {manifest.Segments.Sum(s => s.DurationSeconds).ToString("0.0", CultureInfo.InvariantCulture)} s, {manifest.Stats?.VideoFramesDropped ?? 0} frames dropped",
                $"manifest   {manifestUri}",
                .. manifest.Segments.Select(s => $"segment    {s.Location}"),
                .. files.Select(f => $"decrypted  {f}"),
                $"host key   {keyPath}   (also: age -d -i {keyPath} SEGMENT > recording.mp4)",
            ]);
            return CliExitCodes.Success;
        });
        return command;
    }

    private static void Say(CliContext context, string line) => context.Output.Notice($"recorder: demo: {line}");

    /// <summary>Polls the recording, telling each state as it is reached, until it completes or fails.</summary>
    private static async Task<RecordingView> FollowAsync(CliContext context, ServiceClient client, string id, CancellationToken ct)
    {
        string? last = null;
        var started = DateTimeOffset.UtcNow;
        while (true)
        {
            var view = await client.GetAsync($"recordings/{ServiceClient.Segment(id)}", ApiJson.Default.RecordingView, ct);
            if (view.State != last)
            {
                last = view.State;
                Say(context, string.Create(CultureInfo.InvariantCulture, $"   {(DateTimeOffset.UtcNow - started).TotalSeconds,5:0.0} s  {view.State}")
                    + (view.State == "recording" ? " (the first frame was captured)" : ""));
            }
            if (view.State is "completed" or "failed") return view;
            await Task.Delay(250, ct);
        }
    }

    private static async Task<byte[]> ReadObjectAsync(CliContext context, string uri, CancellationToken ct)
    {
        var location = S3Uri.Parse(uri);
        await using var stored = await S3SeekableReadStream.OpenAsync(new S3ObjectStore(context.Services.S3), location.Bucket, location.Key, cancellationToken: ct);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy, ct);
        return copy.ToArray();
    }

    private static async Task EnsureBucketAsync(IAmazonS3 s3, string bucket, CancellationToken ct)
    {
        try
        {
            await s3.PutBucketAsync(bucket, ct);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // Already there.
        }
    }

    /// <summary>What an auditor can prove without a key: the signature, by the trusted key; the stored bytes hash to the manifest's values; the headers name the host's key.</summary>
    private static async Task AuditAsync(CliContext context, IObjectStore store, string manifestUri, string trustFile, CancellationToken ct)
    {
        var verifier = new RecordingVerifier(store, new VerifyOptions { Trust = TrustedSigners.Load(trustFile) });
        _ = ObjectLocation.TryParse(manifestUri, out var location);
        var result = await verifier.VerifyAsync(location, new DemoProgress(context), ct);
        foreach (var finding in result.Findings) context.Output.Notice(VerifyCommand.FindingLine(finding));
        if (!result.Holds) throw new CliException($"the stored recording does not verify: {string.Join("; ", result.Findings.Select(f => f.Code))}");
    }

    private sealed class DemoProgress(CliContext context) : IProgress<string>
    {
        public void Report(string value) => Say(context, "   " + value.TrimStart());
    }

    /// <summary>
    /// The service's signing key: demo-output/signing-key (made by the stock ssh-keygen, as an operator would; kept
    /// across runs, like any signing key).
    /// </summary>
    private static async Task<(string Path, string Fingerprint)> SigningKeyAsync(CliContext context, string dir, CancellationToken ct)
    {
        var path = Path.GetFullPath(Path.Combine(dir, "signing-key"));
        if (!File.Exists(path))
        {
            var info = new System.Diagnostics.ProcessStartInfo("ssh-keygen") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "-q", "-t", "ed25519", "-N", "", "-C", "recorder-demo", "-f", path }) info.ArgumentList.Add(a);
            System.Diagnostics.Process process;
            try
            {
                process = System.Diagnostics.Process.Start(info)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new CliException($"cannot make the demo's signing key with ssh-keygen: {e.Message}", "install it: apt-get install openssh-client");
            }
            using (process)
            {
                var errors = await process.StandardError.ReadToEndAsync(ct);
                await process.WaitForExitAsync(ct);
                if (process.ExitCode != 0) throw new CliException($"ssh-keygen could not make {path}: {errors.Trim()}");
            }
        }
        using var signer = SigningKeyArgument.Load(context, path)!;
        return (path, signer.PublicKey.Fingerprint);
    }

    private static async Task<string> DecryptAsync(CliContext context, IObjectStore store, ManifestSegment segment, X25519Identity host, string path, CancellationToken ct)
    {
        var location = S3Uri.Parse(segment.Location);
        await using var stored = await S3SeekableReadStream.OpenAsync(store, location.Bucket, location.Key, cancellationToken: ct);
        await using var plaintext = await AgeDecryptor.OpenAsync(stored, [host], ct);
        await using var target = await OutputTarget.OpenAsync(path, context, privateFile: true, ct);
        await plaintext.CopyToAsync(target.Stream, ct);
        await target.CommitAsync();
        Say(context, $"   {location.Key} -> {path} ({new FileInfo(path).Length} bytes)");
        return path;
    }
}
