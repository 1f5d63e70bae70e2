namespace Recorder.Tests.Infrastructure;

/// <summary>Locates files of the repository from the test binaries' folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string LocalStack(string file) => Path.Combine(Root, "localstack", file);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Recorder.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Recorder.sln not found above {AppContext.BaseDirectory}");
    }
}
