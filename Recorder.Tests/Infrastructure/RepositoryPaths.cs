namespace Recorder.Tests.Infrastructure;

/// <summary>Locates files of the repository from the test binaries' folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string LocalStack(string file) => Path.Combine(Root, "localstack", file);

    /// <summary>The built <c>recorder</c> launcher of the same configuration as these tests (Release under scripts/test.sh).</summary>
    public static string RecorderLauncher => CliBuildOutput("recorder");

    /// <summary>The .NET program behind the launcher, started directly (without the launcher's environment).</summary>
    public static string RecorderAppHost => CliBuildOutput("recorder-apphost");

    /// <summary>The built service program (<c>recorder-service</c>, Recorder.Service's apphost) of the same configuration.</summary>
    public static string ServiceProgram => BuildOutput("Recorder.Service", "recorder-service");

    /// <summary>The variable naming the <c>recorder</c> launcher of the CLI as installed (published ahead of time); scripts/test.sh sets it.</summary>
    public const string NativeCliVariable = "RECORDER_NATIVE_CLI";

    /// <summary>
    /// The launcher of the natively compiled CLI (README, "CLI"), or a skip that says how to get one
    /// when <see cref="NativeCliVariable"/> is not set; a path that is set but missing is a failure.
    /// </summary>
    public static string NativeLauncherOrSkip()
    {
        var path = Environment.GetEnvironmentVariable(NativeCliVariable);
        Skip.If(string.IsNullOrEmpty(path),
            $"{NativeCliVariable} is not set: publish the CLI with 'dotnet publish Recorder.Cli -c Release -r linux-x64 -p:PublishAot=true -o DIR' " +
            $"and set {NativeCliVariable}=DIR/recorder (scripts/test.sh does both)");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{NativeCliVariable}={path} does not exist", path);
    }

    /// <summary>The launcher of one form of the CLI: "build" (the Release build, JIT) or "native" (as installed).</summary>
    public static string Launcher(string form) => form switch
    {
        "build" => RecorderLauncher,
        "native" => NativeLauncherOrSkip(),
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, "build or native"),
    };

    private static string CliBuildOutput(string file) => BuildOutput("Recorder.Cli", file);

    private static string BuildOutput(string project, string file)
    {
        var configuration = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.Combine(Root, project, "bin", configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {project} first ({path})", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Recorder.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Recorder.sln not found above {AppContext.BaseDirectory}");
    }
}
