namespace Pipelines.Stages.Tests;

/// <summary>Stops the test run's PostgreSQL server after the last test (when a test started it).</summary>
[SetUpFixture]
public sealed class LocalPostgresTeardown
{
    [OneTimeTearDown]
    public void Stop() => Pipelines.Tuning.Tests.Storage.LocalPostgres.StopIfStarted();
}
