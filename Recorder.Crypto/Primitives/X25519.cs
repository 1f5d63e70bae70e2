using System.Security.Cryptography;
using Bc = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace Recorder.Crypto.Primitives;

/// <summary>
/// RFC 7748 X25519 over BouncyCastle's constant-time implementation, span-based.
/// </summary>
internal static class X25519
{
    public const int ScalarSize = 32;
    public const int PointSize = 32;

    /// <summary>The Curve25519 base point u = 9.</summary>
    public static ReadOnlySpan<byte> BasePoint =>
    [
        9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    /// <summary>
    /// Computes X25519(scalar, point) into <paramref name="result"/>. Returns false
    /// when the result is all zeros (a low-order point), which age must reject.
    /// </summary>
    public static bool TryScalarMult(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> point, Span<byte> result)
    {
        if (scalar.Length != ScalarSize) throw new ArgumentException("an X25519 scalar is 32 bytes", nameof(scalar));
        if (point.Length != PointSize) throw new ArgumentException("an X25519 point is 32 bytes", nameof(point));
        if (result.Length != PointSize) throw new ArgumentException("an X25519 result is 32 bytes", nameof(result));

        // BouncyCastle takes arrays; copy into pinned scratch that is wiped afterwards.
        var k = GC.AllocateUninitializedArray<byte>(ScalarSize, pinned: true);
        var u = GC.AllocateUninitializedArray<byte>(PointSize, pinned: true);
        var r = GC.AllocateUninitializedArray<byte>(PointSize, pinned: true);
        try
        {
            scalar.CopyTo(k);
            point.CopyTo(u);
            Bc.ScalarMult(k, 0, u, 0, r, 0);
            r.CopyTo(result);
            return !IsAllZero(r);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k);
            CryptographicOperations.ZeroMemory(r);
            Array.Clear(u);
        }
    }

    /// <summary>Derives the public point of <paramref name="scalar"/>.</summary>
    public static void ScalarMultBase(ReadOnlySpan<byte> scalar, Span<byte> publicPoint)
    {
        if (!TryScalarMult(scalar, BasePoint, publicPoint))
            throw new CryptographicException("X25519 produced the all-zero point from the base point");
    }

    private static bool IsAllZero(ReadOnlySpan<byte> bytes)
    {
        // Constant time in the content: no early exit.
        var acc = 0;
        foreach (var b in bytes) acc |= b;
        return acc == 0;
    }
}
