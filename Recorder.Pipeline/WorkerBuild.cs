using System.Reflection;

namespace Recorder.Pipeline;

/// <summary>Which build of the worker wrote a recording (goes into the manifest).</summary>
public static class WorkerBuild
{
    public static string Description { get; } =
        $"recorder {typeof(WorkerBuild).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev"} (.NET {Environment.Version})";
}
