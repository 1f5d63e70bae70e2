namespace Recorder.Crypto.Primitives;

/// <summary>The 16-byte symmetric key of one age file.</summary>
internal static class FileKey
{
    public const int Size = 16;

    public static SecretBuffer Generate() => SecretBuffer.Random(Size);
}
