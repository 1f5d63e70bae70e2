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

    private static string CliBuildOutput(string file)
    {
        var configuration = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.Combine(Root, "Recorder.Cli", "bin", configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build the CLI first ({path})", path);
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
