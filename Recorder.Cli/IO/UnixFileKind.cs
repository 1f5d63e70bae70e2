using System.Runtime.InteropServices;

namespace Recorder.Cli.IO;

/// <summary>
/// What an existing path is, after symlinks: .NET reports a character device such
/// as /dev/null as an ordinary seekable file, so the type bits come from
/// <c>statx(2)</c>, whose layout is the same on every Linux architecture.
/// </summary>
internal static class UnixFileKind
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x0001;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int Directory = 0x4000;

    /// <summary>
    /// True when <paramref name="path"/> exists and is not a regular file or a
    /// directory: a device, FIFO or socket, which must be written in place, never
    /// replaced by a rename.
    /// </summary>
    public static bool IsSpecialFile(string path)
    {
        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return false; // absent (or unreadable): nothing to preserve
        var type = BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask;
        return type != RegularFile && type != Directory;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
