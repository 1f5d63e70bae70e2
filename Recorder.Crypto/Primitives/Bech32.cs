using System.Text;

namespace Recorder.Crypto.Primitives;

/// <summary>
/// BIP 173 Bech32 as age uses it: no 90-character limit, all-lower or all-upper
/// case (mixed case rejected), the human-readable part returned as written.
/// </summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    public static string Encode(string hrp, ReadOnlySpan<byte> data, bool upperCase)
    {
        var lowerHrp = hrp.ToLowerInvariant();
        var values = ConvertBits(data, 8, 5, pad: true) ?? throw new ArgumentException("cannot convert data", nameof(data));
        var checksum = CreateChecksum(lowerHrp, values);
        var sb = new StringBuilder(lowerHrp.Length + 1 + values.Length + 6);
        sb.Append(lowerHrp).Append('1');
        foreach (var v in values) sb.Append(Charset[v]);
        foreach (var v in checksum) sb.Append(Charset[v]);
        Array.Clear(values);
        var text = sb.ToString();
        return upperCase ? text.ToUpperInvariant() : text;
    }

    /// <summary>Decodes into <paramref name="hrp"/> (as written) and the 8-bit data; false when malformed.</summary>
    public static bool TryDecode(string text, out string hrp, out byte[] data)
    {
        hrp = "";
        data = [];
        if (!string.Equals(text.ToLowerInvariant(), text, StringComparison.Ordinal) &&
            !string.Equals(text.ToUpperInvariant(), text, StringComparison.Ordinal))
            return false;
        var pos = text.LastIndexOf('1');
        if (pos < 1 || pos + 7 > text.Length) return false;
        foreach (var c in text.AsSpan(0, pos))
            if (c < 33 || c > 126) return false;

        var lower = text.ToLowerInvariant();
        var values = new byte[lower.Length - pos - 1];
        for (var i = 0; i < values.Length; i++)
        {
            var d = Charset.IndexOf(lower[pos + 1 + i]);
            if (d < 0) return false;
            values[i] = (byte)d;
        }
        if (Polymod(HrpExpand(lower[..pos]).Concat(values)) != 1) return false;
        var converted = ConvertBits(values.AsSpan(0, values.Length - 6), 5, 8, pad: false);
        Array.Clear(values);
        if (converted is null) return false;
        hrp = text[..pos];
        data = converted;
        return true;
    }

    private static byte[] CreateChecksum(string hrp, byte[] values)
    {
        var mod = Polymod(HrpExpand(hrp).Concat(values).Concat(new byte[6])) ^ 1;
        var result = new byte[6];
        for (var i = 0; i < 6; i++) result[i] = (byte)((mod >> (5 * (5 - i))) & 31);
        return result;
    }

    private static uint Polymod(IEnumerable<byte> values)
    {
        uint chk = 1;
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
                if (((top >> i) & 1) != 0) chk ^= Generator[i];
        }
        return chk;
    }

    private static byte[] HrpExpand(string hrp)
    {
        var result = new byte[hrp.Length * 2 + 1];
        for (var i = 0; i < hrp.Length; i++)
        {
            result[i] = (byte)(hrp[i] >> 5);
            result[i + hrp.Length + 1] = (byte)(hrp[i] & 31);
        }
        return result;
    }

    /// <summary>Regroups bits into a right-sized array (no growing buffers left behind with key bits in them).</summary>
    private static byte[]? ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var maxValue = (1 << toBits) - 1;
        var totalBits = data.Length * fromBits;
        var result = new byte[pad ? (totalBits + toBits - 1) / toBits : totalBits / toBits];
        var n = 0;
        foreach (var b in data)
        {
            if (b >> fromBits != 0) return null;
            acc = ((acc << fromBits) | b) & 0xffffff;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result[n++] = (byte)((acc >> bits) & maxValue);
            }
        }
        if (pad)
        {
            if (bits > 0) result[n++] = (byte)((acc << (toBits - bits)) & maxValue);
        }
        else if (bits >= fromBits || ((acc << (toBits - bits)) & maxValue) != 0)
        {
            Array.Clear(result);
            return null;
        }
        return result;
    }
}
