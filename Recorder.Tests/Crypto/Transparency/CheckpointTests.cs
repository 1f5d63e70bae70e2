using Recorder.Crypto.Transparency;

namespace Recorder.Tests.Crypto.Transparency;

/// <summary>
/// Checkpoint text as c2sp.org/tlog-checkpoint and Go's sumdb/tlog write it, and
/// each malformed case refused with its exact message.
/// </summary>
public sealed class CheckpointTests
{
    [Fact]
    public void Formats_the_go_sumdb_tree_byte_for_byte()
    {
        // golang.org/x/mod/sumdb/tlog TestFormatTree: the tree hash is the record hash of "hello world".
        var checkpoint = new Checkpoint("go.sum database tree", 123456789012, MerkleTree.LeafHash("hello world"u8));
        Assert.Equal("go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n", checkpoint.Format());
    }

    [Fact]
    public void Parses_the_spec_example_and_formats_it_back()
    {
        const string text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        var checkpoint = Checkpoint.Parse(text);
        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163, checkpoint.Size);
        Assert.Equal(Convert.FromBase64String("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="), checkpoint.RootHash.ToArray());
        Assert.Empty(checkpoint.Extensions);
        Assert.Equal(text, checkpoint.Format());
    }

    [Fact]
    public void Round_trips_extension_lines_and_the_empty_tree()
    {
        var withExtensions = new Checkpoint("log.example/audit", 7, MerkleTree.LeafHash("x"u8), ["ext one", "— two"]);
        var parsed = Checkpoint.Parse(withExtensions.Format());
        Assert.Equal(["ext one", "— two"], parsed.Extensions);
        Assert.Equal(withExtensions.Format(), parsed.Format());

        var empty = new Checkpoint("log.example/audit", 0, MerkleTree.EmptyRoot());
        Assert.Equal("log.example/audit\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", empty.Format());
        Assert.Equal(0, Checkpoint.Parse(empty.Format()).Size);
    }

    [Fact]
    public void A_signed_checkpoint_opens_and_parses()
    {
        using var signer = NoteSigner.Generate("log.example/audit");
        var checkpoint = new Checkpoint("log.example/audit", 42, MerkleTree.LeafHash("x"u8));
        var note = SignedNote.Open(SignedNote.Sign(checkpoint.Format(), signer), [signer.Verifier]);
        Assert.Equal(42, Checkpoint.Parse(note.Text).Size);
    }

    private const string Hash = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

    [Theory]
    [InlineData("o\n1\n" + Hash, "the text does not end with a newline")]
    [InlineData("o\n1\n", "2 line(s), expected at least 3 (origin, tree size, root hash)")]
    [InlineData("\n1\n" + Hash + "\n", "line 1 is empty")]
    [InlineData("o\n\n" + Hash + "\n", "line 2 is empty")]
    [InlineData("o\n1\n" + Hash + "\n\n", "line 4 is empty")]
    [InlineData("o\n1\n" + Hash + "\next\n\n", "line 5 is empty")]
    [InlineData("o\u0001\n1\n" + Hash + "\n", "line 1 holds a control character")]
    [InlineData("o\n01\n" + Hash + "\n", "tree size \"01\" has a leading zero")]
    [InlineData("o\n00\n" + Hash + "\n", "tree size \"00\" has a leading zero")]
    [InlineData("o\n-1\n" + Hash + "\n", "tree size \"-1\" is not a decimal number")]
    [InlineData("o\n+1\n" + Hash + "\n", "tree size \"+1\" is not a decimal number")]
    [InlineData("o\n 1\n" + Hash + "\n", "tree size \" 1\" is not a decimal number")]
    [InlineData("o\n0x1\n" + Hash + "\n", "tree size \"0x1\" is not a decimal number")]
    [InlineData("o\n١\n" + Hash + "\n", "tree size \"١\" is not a decimal number")]
    [InlineData("o\n9223372036854775808\n" + Hash + "\n", "tree size 9223372036854775808 is too large")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", "the root hash is not standard base64")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", "the root hash is not standard base64")]
    [InlineData("o\n1\nCsUYapGG Po4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "the root hash is not standard base64")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n", "the root hash is 30 bytes, not 32")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IA\n", "the root hash is 33 bytes, not 32")]
    public void Malformed_checkpoints_are_refused_with_exact_messages(string text, string expected) =>
        Assert.Equal("malformed checkpoint: " + expected, Assert.Throws<FormatException>(() => Checkpoint.Parse(text)).Message);

    [Fact]
    public void Construction_refuses_what_could_not_be_parsed_back()
    {
        var hash = MerkleTree.EmptyRoot();
        Assert.Equal("origin", Assert.Throws<ArgumentException>(() => new Checkpoint("", 0, hash)).ParamName);
        Assert.Equal("origin", Assert.Throws<ArgumentException>(() => new Checkpoint("a\nb", 0, hash)).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => new Checkpoint("o", -1, hash)).ParamName);
        Assert.Equal("rootHash", Assert.Throws<ArgumentException>(() => new Checkpoint("o", 0, hash[..31])).ParamName);
        Assert.Equal("extensions", Assert.Throws<ArgumentException>(() => new Checkpoint("o", 0, hash, [""])).ParamName);
    }
}
