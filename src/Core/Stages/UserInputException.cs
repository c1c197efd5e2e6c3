namespace Pipelines.Core;

/// <summary>
/// A mistake in what the user gave (pipeline, options, data): the message is shown as is, without a stack
/// trace, and the CLI exits with code 2.
/// </summary>
public class UserInputException : Exception
{
    /// <summary>Creates the exception with a message that names the place and what was expected.</summary>
    public UserInputException(string message) : base(message) { }

    /// <summary>Creates the exception with the underlying cause.</summary>
    public UserInputException(string message, Exception inner) : base(message, inner) { }
}
