using System.Security.Cryptography;
using Recorder.Crypto;
using Recorder.Crypto.Recipients;
using Recorder.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Recorder.Tests.Crypto;

/// <summary>
/// The C2SP CCTV age vectors, each through both decryptors: the streaming one
/// and the random-access one reading the whole plaintext range. The expected
/// outcome must match exactly: the payload hash, "no match", or the failure kind.
/// </summary>
public sealed class CctvVectorTests(ITestOutputHelper output)
{
    private const int MinimumApplicable = 60;
    private static readonly Lazy<IReadOnlyList<CctvVector>> Vectors = new(CctvVector.LoadAll);

    public static TheoryData<string, string> Applicable()
    {
        var data = new TheoryData<string, string>();
        foreach (var v in Vectors.Value.Where(v => v.SkipReason is null))
        {
            data.Add(v.Name, "streaming");
            data.Add(v.Name, "random-access");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Applicable))]
    public async Task Vector_gives_the_expected_outcome(string name, string decryptor)
    {
        var vector = Vectors.Value.Single(v => v.Name == name);
        Assert.Equal(vector.Expect, await OutcomeAsync(vector, decryptor == "random-access"));
    }

    [Fact]
    public async Task At_least_60_vectors_run_through_both_decryptors()
    {
        var ran = 0;
        var skipped = new List<string>();
        foreach (var v in Vectors.Value)
        {
            if (v.SkipReason is { } reason)
            {
                skipped.Add($"{v.Name}: {reason}");
                continue;
            }
            Assert.Equal(v.Expect, await OutcomeAsync(v, randomAccess: false));
            Assert.Equal(v.Expect, await OutcomeAsync(v, randomAccess: true));
            ran++;
        }
        output.WriteLine($"CCTV age vectors: {ran} ran (each through both decryptors), {skipped.Count} skipped, {Vectors.Value.Count} in total");
        foreach (var s in skipped.GroupBy(s => s[(s.IndexOf(": ", StringComparison.Ordinal) + 2)..]))
            output.WriteLine($"  skipped {s.Count()}: {s.Key}");
        Assert.True(ran >= MinimumApplicable, $"only {ran} vectors ran; at least {MinimumApplicable} must");
    }

    /// <summary>The outcome in the vectors' own words.</summary>
    internal static async Task<string> OutcomeAsync(CctvVector vector, bool randomAccess)
    {
        var identities = vector.Identities.Select(X25519Identity.Parse).ToArray();
        try
        {
            byte[] plaintext;
            if (randomAccess)
            {
                await using var stream = await AgeDecryptor.OpenRandomAccessAsync(new MemoryStream(vector.File), identities);
                plaintext = new byte[stream.Length];
                await stream.ReadExactlyAsync(plaintext);
                Assert.Equal(0, await stream.ReadAsync(new byte[1]));
            }
            else
            {
                await using var stream = await AgeDecryptor.OpenAsync(new MemoryStream(vector.File), identities);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                plaintext = copy.ToArray();
            }
            var hash = Convert.ToHexStringLower(SHA256.HashData(plaintext));
            return hash == vector.PayloadSha256 ? "success" : $"success with the wrong payload {hash}";
        }
        catch (AgeNoIdentityMatchException)
        {
            return "no match";
        }
        catch (AgeDecryptionException e)
        {
            return e.Kind switch
            {
                AgeFailureKind.Header => "header failure",
                AgeFailureKind.HeaderMac => "HMAC failure",
                _ => "payload failure",
            };
        }
        finally
        {
            foreach (var i in identities) i.Dispose();
        }
    }
}
