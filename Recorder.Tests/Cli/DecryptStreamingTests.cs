using System.Security.Cryptography;
using Recorder.Cli;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Cli;

/// <summary>
/// <c>recorder decrypt</c> as the head of a pipe (<c>| ffplay -</c>): no SOURCE reads stdin, like <c>age -d</c>;
/// an s3:// SOURCE is read by parallel ranged GETs whose plaintext comes out in order as it arrives, not after the
/// whole object was fetched.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DecryptStreamingTests(CephFixture ceph) : IDisposable
{
    private readonly CliFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string Sha(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Without_a_source_or_with_a_dash_decrypt_reads_stdin(bool dash)
    {
        string[] source = dash ? ["-"] : [];
        var (key, _) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(3 * 65536 + 17);
        var ciphertext = await AgeTestDataForCli.EncryptForAsync(plaintext, key);
        var result = await CliRunner.RunAsync(["decrypt", "-i", key, .. source], ciphertext);
        Assert.Equal((0, ""), (result.ExitCode, ProgressLines.Strip(result.StandardError)));
        Assert.Equal(Sha(plaintext), Sha(result.StandardOutput));
    }

    [Fact]
    public async Task Plaintext_from_s3_comes_out_while_the_tail_of_the_object_is_still_held_back()
    {
        var bucket = await ceph.CreateBucketAsync("stream");
        var (key, recipient) = _files.NewIdentity("key.txt");
        var plaintext = AgeTestDataForCli.Random(40 * 1024 * 1024 + 123);
        var encrypted = await CliRunner.RunAsync(["encrypt", "-r", recipient, "-o", $"s3://{bucket}/big.age"], plaintext,
            CliRunner.CephEnvironment(ceph.Options));
        Assert.Equal((0, ""), (encrypted.ExitCode, ProgressLines.Strip(encrypted.StandardError)));

        // Every GET whose range starts at 24 MiB or later waits until the test releases it.
        using var proxy = new HoldingS3Proxy(new Uri(ceph.Options.ServiceUrl!), 24L * 1024 * 1024);
        var env = new Dictionary<string, string?>(CliRunner.CephEnvironment(ceph.Options)) { ["AWS_ENDPOINT_URL_S3"] = proxy.Endpoint };
        var firstOutput = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdout = new FirstWriteStream(firstOutput);
        var stderr = new StringWriter();
        var console = new CliConsole(new MemoryStream(), stdout, stderr, name => env.GetValueOrDefault(name));
        var run = Task.Run(() => RecorderCli.RunAsync(["decrypt", "-i", key, $"s3://{bucket}/big.age"], console));
        long writtenBeforeTail;
        try
        {
            var first = await Task.WhenAny(firstOutput.Task, run, Task.Delay(TimeSpan.FromMinutes(2)));
            Assert.True(first == firstOutput.Task, $"decrypt wrote nothing while the tail was held back: {stderr}");
            writtenBeforeTail = stdout.WrittenBytes;
        }
        finally
        {
            proxy.Release();
        }
        var code = await run.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal((0, ""), (code, stderr.ToString()));
        Assert.InRange(writtenBeforeTail, 1, 24L * 1024 * 1024);
        Assert.True(proxy.Held > 0, "no GET was held: the object was too small to show anything");
        Assert.Equal(Sha(plaintext), Sha(stdout.ToArray()));
    }

    /// <summary>A memory stream that signals its first write.</summary>
    private sealed class FirstWriteStream(TaskCompletionSource firstWrite) : MemoryStream
    {
        private long _written;

        /// <summary>Bytes written so far (safe to read while another thread writes).</summary>
        public long WrittenBytes => Interlocked.Read(ref _written);

        // Only the array overload reaches MemoryStream: its span overload calls back into this class's array overload.
        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            Interlocked.Add(ref _written, count);
            if (count > 0) firstWrite.TrySetResult();
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }
    }
}
