using Recorder.Crypto.Transparency;

namespace Recorder.Tests.Crypto.Transparency;

/// <summary>
/// The RFC 6962 tree against the known answers the transparency-dev and
/// certificate-transparency Go libraries test with (eight leaves, every tree head,
/// audit paths and consistency proofs), then every proof up to 20 leaves.
/// </summary>
public sealed class MerkleTreeTests
{
    // The eight leaf inputs of the reference vectors (transparency-dev/merkle testonly).
    private static readonly string[] LeafInputs =
        ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    // Tree heads for sizes 0 to 8.
    private static readonly string[] Roots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static List<byte[]> Leaves(int count) =>
        LeafInputs.Take(count).Select(hex => MerkleTree.LeafHash(Convert.FromHexString(hex))).ToList();

    private static List<byte[]> NumberedLeaves(int count) =>
        Enumerable.Range(0, count).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i))).ToList();

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    [Fact]
    public void Leaf_hashes_match_the_reference_vectors()
    {
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Hex(Leaves(1)[0]));
        Assert.Equal("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1", Hex(Leaves(8)[7]));
    }

    [Fact]
    public void Roots_of_every_size_match_the_reference_vectors()
    {
        for (var n = 0; n <= 8; n++) Assert.Equal(Roots[n], Hex(MerkleTree.Root(Leaves(n))));
    }

    [Theory]
    [InlineData(0, 8, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7 5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e 6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]
    [InlineData(5, 8, "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0 d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]
    [InlineData(2, 3, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]
    [InlineData(1, 5, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d 5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]
    [InlineData(0, 1, "")]
    public void Inclusion_proofs_match_the_reference_vectors(int index, int size, string expected)
    {
        var leaves = Leaves(size);
        var proof = MerkleTree.InclusionProof(leaves, index);
        Assert.Equal(expected, string.Join(' ', proof.Select(Hex)));
        Assert.True(MerkleTree.VerifyInclusion(index, size, leaves[index], proof, Convert.FromHexString(Roots[size])));
    }

    [Theory]
    [InlineData(1, 8, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7 5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e 6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]
    [InlineData(6, 8, "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0 d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]
    [InlineData(2, 5, "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]
    [InlineData(6, 7, "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]
    [InlineData(1, 1, "")]
    public void Consistency_proofs_match_the_reference_vectors(int oldSize, int newSize, string expected)
    {
        var proof = MerkleTree.ConsistencyProof(Leaves(8), oldSize, newSize);
        Assert.Equal(expected, string.Join(' ', proof.Select(Hex)));
        Assert.True(MerkleTree.VerifyConsistency(oldSize, newSize,
            Convert.FromHexString(Roots[oldSize]), Convert.FromHexString(Roots[newSize]), proof));
    }

    [Fact]
    public void Every_inclusion_proof_up_to_20_leaves_verifies_and_no_tampered_one_does()
    {
        for (var size = 1; size <= 20; size++)
        {
            var leaves = NumberedLeaves(size);
            var root = MerkleTree.Root(leaves);
            for (var index = 0; index < size; index++)
            {
                var proof = MerkleTree.InclusionProof(leaves, index);
                var leaf = leaves[index];
                Assert.True(MerkleTree.VerifyInclusion(index, size, leaf, proof, root), $"leaf {index} of {size}");

                foreach (var (what, bad) in Tampered(proof))
                    Assert.False(MerkleTree.VerifyInclusion(index, size, leaf, bad, root), $"{what}, leaf {index} of {size}");
                Assert.False(MerkleTree.VerifyInclusion(index, size, leaf, proof, MerkleTree.EmptyRoot()), "another root");
                Assert.False(MerkleTree.VerifyInclusion(index, size * 2, leaf, proof, root), "size * 2");
                Assert.False(MerkleTree.VerifyInclusion(index, index, leaf, proof, root), "index not below size");
                if (size == 1) continue;
                Assert.False(MerkleTree.VerifyInclusion(index, size, leaves[(index + 1) % size], proof, root), "another leaf");
                Assert.False(MerkleTree.VerifyInclusion(index ^ 1, size, leaf, proof, root), "index ^ 1");
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_up_to_20_leaves_verifies_and_no_tampered_one_does()
    {
        var leaves = NumberedLeaves(20);
        for (var newSize = 0; newSize <= 20; newSize++)
        {
            var newRoot = MerkleTree.Root(leaves.Take(newSize).ToList());
            for (var oldSize = 0; oldSize <= newSize; oldSize++)
            {
                var oldRoot = MerkleTree.Root(leaves.Take(oldSize).ToList());
                var proof = MerkleTree.ConsistencyProof(leaves, oldSize, newSize);
                Assert.True(MerkleTree.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, proof), $"{oldSize} to {newSize}");
                if (oldSize == 0 || oldSize == newSize)
                {
                    Assert.Empty(proof);
                    continue;
                }

                foreach (var (what, bad) in Tampered(proof))
                    Assert.False(MerkleTree.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, bad), $"{what}, {oldSize} to {newSize}");
                Assert.False(MerkleTree.VerifyConsistency(oldSize, newSize, newRoot, oldRoot, proof), "swapped roots");
                Assert.False(MerkleTree.VerifyConsistency(oldSize, newSize, oldRoot, MerkleTree.EmptyRoot(), proof), "another new root");
                Assert.False(MerkleTree.VerifyConsistency(oldSize - 1, newSize, oldRoot, newRoot, proof), "old size - 1");
                Assert.False(MerkleTree.VerifyConsistency(oldSize, newSize * 2, oldRoot, newRoot, proof), "new size * 2");
                Assert.False(MerkleTree.VerifyConsistency(newSize, oldSize, newRoot, oldRoot, proof), "time travel");
            }
        }
    }

    [Fact]
    public void Consistency_from_the_empty_tree_needs_its_head_and_an_empty_proof()
    {
        var root = MerkleTree.Root(NumberedLeaves(3));
        Assert.True(MerkleTree.VerifyConsistency(0, 3, MerkleTree.EmptyRoot(), root, []));
        Assert.False(MerkleTree.VerifyConsistency(0, 3, root, root, []));
        Assert.False(MerkleTree.VerifyConsistency(0, 3, MerkleTree.EmptyRoot(), root, [root]));
        Assert.False(MerkleTree.VerifyConsistency(3, 3, root, MerkleTree.EmptyRoot(), []));
    }

    [Fact]
    public void Builder_root_equals_the_tree_head_for_every_size_up_to_300_and_resumes_from_its_right_edge()
    {
        var leaves = NumberedLeaves(300);
        var builder = new MerkleTreeBuilder();
        Assert.Equal(Roots[0], Hex(builder.Root()));
        for (var n = 1; n <= 300; n++)
        {
            builder.Append(leaves[n - 1]);
            var expected = MerkleTree.Root(leaves.Take(n).ToList());
            Assert.Equal(n, builder.Size);
            Assert.Equal(Hex(expected), Hex(builder.Root()));
            Assert.Equal(System.Numerics.BitOperations.PopCount((ulong)n), builder.RightEdge.Count);
        }

        var edge = builder.RightEdge;
        Assert.Throws<ArgumentException>(() => new MerkleTreeBuilder(301, edge));
        var resumed = new MerkleTreeBuilder(300, edge);
        resumed.Append(MerkleTree.LeafHash("next"u8));
        builder.Append(MerkleTree.LeafHash("next"u8));
        Assert.Equal(Hex(builder.Root()), Hex(resumed.Root()));
    }

    [Fact]
    public void Misuse_throws_naming_the_parameter()
    {
        Assert.Equal("leafHashes", Assert.Throws<ArgumentException>(() => MerkleTree.Root([new byte[31]])).ParamName);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.InclusionProof(NumberedLeaves(3), 3)).ParamName);
        Assert.Equal("oldSize", Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.ConsistencyProof(NumberedLeaves(3), 3, 2)).ParamName);
        Assert.Equal("leafHash", Assert.Throws<ArgumentException>(() => new MerkleTreeBuilder().Append(new byte[33])).ParamName);
    }

    // Each proof element with a flipped bit, each element dropped, one added at either end, a reversed proof.
    private static IEnumerable<(string What, List<byte[]> Proof)> Tampered(IReadOnlyList<byte[]> proof)
    {
        for (var i = 0; i < proof.Count; i++)
        {
            var flipped = proof.Select(h => (byte[])h.Clone()).ToList();
            flipped[i][i % 32] ^= 0x08;
            yield return ($"bit flipped in element {i}", flipped);
            var dropped = proof.ToList();
            dropped.RemoveAt(i);
            yield return ($"element {i} dropped", dropped);
        }
        var extra = MerkleTree.LeafHash("extra"u8);
        yield return ("element appended", [.. proof, extra]);
        yield return ("element prepended", [extra, .. proof]);
        if (proof.Count == 0) yield break;
        yield return ("last element cut to 31 bytes", [.. proof.Take(proof.Count - 1), proof[^1][..31]]);
        if (proof.Count > 1) yield return ("reversed", proof.Reverse().ToList());
    }
}
