using System.Security.Cryptography;
using System.Text;
using Recorder.Crypto.Transparency;

namespace Recorder.Tests.Crypto.Transparency;

/// <summary>
/// Signed notes byte for byte against the C2SP signed-note spec's example and the
/// keys and notes of golang.org/x/mod/sumdb/note's tests, then the refusals: each
/// malformed note, an unknown key, a tampered text, an ambiguous verifier list.
/// </summary>
public sealed class SignedNoteTests
{
    // golang.org/x/mod/sumdb/note tests: Peter Neumann's signer and verifier keys, Enoch Root's verifier key.
    private const string PeterSigner = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string PeterVerifier = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string EnochVerifier = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";

    private const string Text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string PeterSig = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private const string EnochSig = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    private static readonly NoteVerifier Peter = NoteVerifier.Parse(PeterVerifier);
    private static readonly NoteVerifier Enoch = NoteVerifier.Parse(EnochVerifier);

    [Fact]
    public void Signing_gives_the_go_note_of_peter_neumann_byte_for_byte()
    {
        using var signer = NoteSigner.Parse(PeterSigner);
        Assert.Equal("PeterNeumann", signer.Name);
        Assert.Equal(0xc74f20a3u, signer.KeyId);
        Assert.Equal(PeterVerifier, signer.Verifier.VerifierKey);
        Assert.Equal(PeterSigner, signer.ExportSignerKey());
        Assert.Equal(Text + "\n" + PeterSig, SignedNote.Sign(Text, signer));
    }

    [Fact]
    public void The_spec_example_opens_with_its_verifier_key()
    {
        var verifier = NoteVerifier.Parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
        var note = SignedNote.Open(
            "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n",
            [verifier]);
        Assert.Equal("This is an example message.\n", note.Text);
        Assert.Equal(new NoteSignature("example.com/foo", 0x530d903a, "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM="), Assert.Single(note.Signatures));
    }

    [Fact]
    public void Known_signatures_are_verified_and_unknown_ones_kept_apart()
    {
        var note = SignedNote.Open(Text + "\n" + PeterSig + EnochSig, [Peter]);
        Assert.Equal(Text, note.Text);
        Assert.Equal("PeterNeumann+c74f20a3", Assert.Single(note.Signatures).KeyLabel);
        Assert.Equal("EnochRoot+af0cfe78", Assert.Single(note.UnverifiedSignatures).KeyLabel);

        var both = SignedNote.Open(Encoding.UTF8.GetBytes(Text + "\n" + PeterSig + EnochSig + PeterSig), [Peter, Enoch]);
        Assert.Equal(["PeterNeumann", "EnochRoot"], both.Signatures.Select(s => s.Name));
        Assert.Empty(both.UnverifiedSignatures);
    }

    [Fact]
    public void A_note_signed_by_no_known_key_is_refused_naming_its_keys()
    {
        var ex = Assert.Throws<SignedNoteException>(() => SignedNote.Open(Text + "\n" + PeterSig + EnochSig, []));
        Assert.Equal(SignedNoteFailure.NoKnownSignature, ex.Kind);
        Assert.Equal("note has no signature by a known key (it is signed by PeterNeumann+c74f20a3, EnochRoot+af0cfe78)", ex.Message);
    }

    [Fact]
    public void A_tampered_text_is_refused_with_the_exact_message()
    {
        var tampered = Text.Replace("answer", "Answer", StringComparison.Ordinal) + "\n" + PeterSig;
        var ex = Assert.Throws<SignedNoteException>(() => SignedNote.Open(tampered, [Peter]));
        Assert.Equal(SignedNoteFailure.InvalidSignature, ex.Kind);
        Assert.Equal("PeterNeumann+c74f20a3", ex.Key);
        Assert.Equal("invalid signature for key PeterNeumann+c74f20a3: the note was changed after it was signed, or the signature is corrupt", ex.Message);
    }

    [Fact]
    public void A_corrupt_signature_by_a_known_key_fails_the_note_even_beside_a_good_one()
    {
        // As the Go test does: four base64 characters inserted into the signature.
        var corrupt = PeterSig[..40] + "ABCD" + PeterSig[40..];
        var ex = Assert.Throws<SignedNoteException>(() => SignedNote.Open(Text + "\n" + PeterSig + corrupt, [Peter]));
        Assert.Equal(SignedNoteFailure.InvalidSignature, ex.Kind);
    }

    [Fact]
    public void Two_verifiers_with_one_name_and_key_id_are_ambiguous()
    {
        var ex = Assert.Throws<SignedNoteException>(() => SignedNote.Open(Text + "\n" + EnochSig, [Enoch, Peter, Enoch]));
        Assert.Equal(SignedNoteFailure.AmbiguousKey, ex.Kind);
        Assert.Equal("ambiguous key EnochRoot+af0cfe78: more than one of the verifiers given has this name and key ID", ex.Message);
        Assert.Single(SignedNote.Open(Text + "\n" + PeterSig, [Enoch, Peter, Enoch]).Signatures);
    }

    public static TheoryData<string, string> MalformedNotes() => new()
    {
        { Text, "no blank line between the text and the signatures" },
        { Text + "\n", "no signature lines after the blank line" },
        { Text + "\n" + PeterSig[..^1], "the last signature line does not end with a newline" },
        { "\u0001" + Text + "\n" + PeterSig, "control character 0x01 at byte 0" },
        { Text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "signature line 1 is not the base64 of a key ID and a signature" },
        { Text + "\n" + "— a+b x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "signature line 1 has no valid key name" },
        { Text + "\n" + PeterSig + "Unexpected line.\n", "signature line 2 does not start with an em dash and a space" },
        { Text + "\n" + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "signature line 1 does not start with an em dash and a space" },
        { Text + "\n" + "— PeterNeumann x08go/Z\n", "signature line 1 is not the base64 of a key ID and a signature" },
        { Text + "\n" + "— PeterNeumann AAAAAA==\n", "signature line 1 is not the base64 of a key ID and a signature" },
        { Text + "\n" + string.Concat(Enumerable.Repeat(PeterSig, 101)), "more than 100 signatures" },
    };

    [Theory]
    [MemberData(nameof(MalformedNotes))]
    public void Malformed_notes_are_refused_saying_what_is_wrong(string note, string expected)
    {
        var ex = Assert.Throws<SignedNoteException>(() => SignedNote.Open(note, [Peter]));
        Assert.Equal(SignedNoteFailure.Malformed, ex.Kind);
        Assert.Equal("malformed note: " + expected, ex.Message);
    }

    [Fact]
    public void A_lone_surrogate_or_invalid_utf8_is_malformed()
    {
        var ex = Assert.Throws<SignedNoteException>(() => SignedNote.Open("\ud800" + Text + "\n" + PeterSig, [Peter]));
        Assert.Equal("malformed note: it is not valid Unicode (a lone surrogate)", ex.Message);

        var bytes = Encoding.UTF8.GetBytes(Text + "\n" + PeterSig);
        bytes[3] = 0xff;
        Assert.Equal("malformed note: it is not valid UTF-8", Assert.Throws<SignedNoteException>(() => SignedNote.Open(bytes, [Peter])).Message);
    }

    [Fact]
    public void A_callback_signer_signs_like_a_seed_signer_and_a_mismatched_callback_fails_at_signing()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        using var own = new NoteSigner("log.example/audit", seed);
        using var other = NoteSigner.Generate("log.example/audit");
        using var callback = new NoteSigner("log.example/audit", own.Verifier.PublicKey, message => own.Sign(message));
        var text = "log.example/audit\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";

        Assert.Equal(SignedNote.Sign(text, own), SignedNote.Sign(text, callback));
        Assert.Equal(text, SignedNote.Open(SignedNote.Sign(text, callback), [callback.Verifier]).Text);

        using var wrong = new NoteSigner("log.example/audit", own.Verifier.PublicKey, message => other.Sign(message));
        var ex = Assert.Throws<CryptographicException>(() => SignedNote.Sign(text, wrong));
        Assert.StartsWith("the signing callback's signature does not verify under the public key of log.example/audit+", ex.Message);
        Assert.Throws<InvalidOperationException>(() => callback.ExportSignerKey());
    }

    [Fact]
    public void Signing_refuses_text_that_is_not_a_note_text()
    {
        using var signer = NoteSigner.Parse(PeterSigner);
        Assert.Equal("text", Assert.Throws<ArgumentException>(() => SignedNote.Sign("abc", signer)).ParamName);
        Assert.Equal("text", Assert.Throws<ArgumentException>(() => SignedNote.Sign("a\tb\n", signer)).ParamName);
        Assert.Equal("signers", Assert.Throws<ArgumentException>(() => SignedNote.Sign(Text)).ParamName);
        Assert.Equal("signers", Assert.Throws<ArgumentException>(() => SignedNote.Sign(Text, signer, signer)).ParamName);
    }

    [Fact]
    public void A_note_whose_text_has_blank_lines_splits_at_the_last_one()
    {
        using var signer = NoteSigner.Generate("example.com/x");
        var text = "a\n\nb\n\n";
        Assert.Equal(text, SignedNote.Open(SignedNote.Sign(text, signer), [signer.Verifier]).Text);
    }
}
