using Spectre.Console;

namespace Pipelines.Cli.Console;

/// <summary>
/// Where the CLI writes: rich (colours, live progress) on a terminal, plain lines when output is redirected,
/// <c>NO_COLOR</c> is set or <c>--no-color</c> was given.
/// </summary>
internal sealed class ConsoleOutput
{
    public ConsoleOutput(bool noColor)
    {
        bool plain = noColor || System.Console.IsOutputRedirected || !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("NO_COLOR"));
        Rich = !plain;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(System.Console.Out),
        });
        if (plain) Console.Profile.Width = 200;
    }

    /// <summary>Whether live progress and colours are used.</summary>
    public bool Rich { get; }

    /// <summary>The Spectre console.</summary>
    public IAnsiConsole Console { get; }

    public void Line(string text) => Console.WriteLine(text);

    public void Markup(string markup) => Console.MarkupLine(markup);

    public void Warning(string message)
    {
        if (Rich) System.Console.Error.WriteLine($"\u001b[33mwarning:\u001b[0m {message}");
        else System.Console.Error.WriteLine($"warning: {message}");
    }

    public void Error(string message)
    {
        if (Rich) System.Console.Error.WriteLine($"\u001b[31merror:\u001b[0m {message}");
        else System.Console.Error.WriteLine($"error: {message}");
    }
}
