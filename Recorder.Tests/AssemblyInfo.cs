// The recorder and its tests run on Linux only (ffmpeg pipes, /proc, setrlimit).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
