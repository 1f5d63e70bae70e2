using System.Security.Cryptography;
using Recorder.Crypto;
using Recorder.Crypto.Keys;
using Recorder.Crypto.Recipients;
using Recorder.Tests.Cli;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Crypto;

/// <summary>
/// Interop with the real age 1.1.1 CLI (Debian), both ways: files this library
/// writes open with <c>age -d</c>, and files <c>age</c> writes open with both of
/// this library's decryptors; 1 and 3 recipients; keys from age-keygen.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AgeCliInteropTests : IClassFixture<AgeCliInteropTests.Keys>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly Keys _keys;

    public AgeCliInteropTests(Keys keys) => _keys = keys;

    /// <summary>Three identities made by age-keygen, shared by the tests of this class.</summary>
    public sealed class Keys : IAsyncLifetime
    {
        public CliFiles Files { get; } = new();
        public string[] Paths { get; private set; } = [];
        public string[] Recipients { get; private set; } = [];

        public async Task InitializeAsync()
        {
            var paths = new List<string>();
            var recipients = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var path = Files.PathOf($"age-keygen-{i}.key");
                var result = await ProcessRunner.RunAsync("age-keygen", ["-o", path], Timeout);
                Assert.Equal(0, result.ExitCode);
                paths.Add(path);
                recipients.Add(result.StandardError.Trim()["Public key: ".Length..]);
            }
            (Paths, Recipients) = (paths.ToArray(), recipients.ToArray());
        }

        public Task DisposeAsync()
        {
            Files.Dispose();
            return Task.CompletedTask;
        }
    }

    public static TheoryData<int, int> Sizes()
    {
        var data = new TheoryData<int, int>();
        foreach (var size in new[] { 0, 1, 65535, 65536, 65537, 3 * 65536, 10_000_000 })
        foreach (var recipients in new[] { 1, 3 })
            data.Add(size, recipients);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Age_decrypts_what_we_encrypt(int size, int recipientCount)
    {
        var plaintext = RandomNumberGenerator.GetBytes(size);
        var recipients = _keys.Recipients.Take(recipientCount).Select(r => (IRecipient)X25519Recipient.Parse(r)).ToArray();
        var name = $"ours-{size}-{recipientCount}";
        var file = _keys.Files.Write($"{name}.age", await AgeTestData.EncryptAsync(plaintext, recipients));

        // The last recipient's key: age must find its stanza among the others (and skip the hint stanza).
        var output = _keys.Files.PathOf($"{name}.out");
        var result = await ProcessRunner.RunAsync("age", ["-d", "-i", _keys.Paths[recipientCount - 1], "-o", output, file], Timeout);
        Assert.Equal((0, ""), (result.ExitCode, result.StandardError));
        // age creates -o lazily: an empty plaintext leaves no file.
        Assert.Equal(AgeTestData.Sha256(plaintext), AgeTestData.Sha256(File.Exists(output) ? File.ReadAllBytes(output) : []));
        File.Delete(output);
        File.Delete(file);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task We_decrypt_what_age_encrypts(int size, int recipientCount)
    {
        var plaintext = RandomNumberGenerator.GetBytes(size);
        var name = $"theirs-{size}-{recipientCount}";
        var input = _keys.Files.Write($"{name}.bin", plaintext);
        var file = _keys.Files.PathOf($"{name}.age");
        var args = _keys.Recipients.Take(recipientCount).SelectMany(r => new[] { "-r", r }).Concat(["-o", file, input]);
        var result = await ProcessRunner.RunAsync("age", args, Timeout);
        Assert.Equal((0, ""), (result.ExitCode, result.StandardError));
        var ciphertext = File.ReadAllBytes(file);

        var identities = AgeKeyFile.ReadIdentities(_keys.Paths[recipientCount - 1]);
        try
        {
            Assert.Equal(AgeTestData.Sha256(plaintext), AgeTestData.Sha256(await AgeTestData.DecryptAsync(ciphertext, identities.ToArray())));
            Assert.Equal(AgeTestData.Sha256(plaintext), AgeTestData.Sha256(await AgeTestData.DecryptRangeAsync(ciphertext, identities.ToArray(), 0, size)));
        }
        finally
        {
            foreach (var i in identities) i.Dispose();
            File.Delete(input);
            File.Delete(file);
        }
    }
}
