using Microsoft.Extensions.Logging;

namespace Pipelines.Core.Running;

/// <summary>Turns a stage's log lines into <see cref="StageLogged"/> events.</summary>
internal sealed class ObserverLogger(string stageId, IRunObserver observer) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        observer.OnEvent(new StageLogged(stageId, logLevel, formatter(state, exception)));
    }
}
