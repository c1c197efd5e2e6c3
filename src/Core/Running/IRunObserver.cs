namespace Pipelines.Core.Running;

/// <summary>Receives run events. Called from several threads; implementations synchronise themselves.</summary>
public interface IRunObserver
{
    /// <summary>Handles one event.</summary>
    void OnEvent(RunEvent runEvent);
}
