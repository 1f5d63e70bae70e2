namespace Recorder.Crypto;

/// <summary>
/// Base of the library's exceptions. Messages say what failed and what it
/// probably means; they never carry key material.
/// </summary>
public abstract class AgeException : Exception
{
    protected AgeException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
