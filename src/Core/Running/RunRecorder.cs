using Pipelines.Core.Caching;

namespace Pipelines.Core.Running;

/// <summary>
/// What a finished run leaves behind: <c>pipelines.lock</c> (the stages that ran or were restored), the external
/// input state, output ownership, the run log and the run report. Written even after a cancellation, because it is
/// what keeps the next run consistent.
/// </summary>
internal sealed class RunRecorder(Workspace workspace, TimeProvider time)
{
    /// <summary>Writes every record and returns the run log's and the report's paths.</summary>
    public async Task<(string LogPath, string ReportPath)> RecordAsync(string runId, PipelinePlan plan, RunOptions options, DateTime started, string status,
        IReadOnlyList<StageOutcome> outcomes, IReadOnlyDictionary<string, StageRunRequest> requests, ExternalInputState state, OutputOwnership ownership, IReadOnlyList<string> log)
    {
        var lockFile = LockFile.Load(workspace.LockFilePath);
        foreach (var outcome in outcomes.Where(o => o.Status is StageStatus.Ran or StageStatus.Cached))
            lockFile.Set(plan.Definition.Name, outcome.Id, Lock(plan.ById[outcome.Id], requests[outcome.Id], outcome, outcomes));
        lockFile.Retain(plan.Definition.Name, plan.Stages.Select(s => s.Id));
        await lockFile.SaveAsync(workspace.LockFilePath, CancellationToken.None).ConfigureAwait(false);
        await state.SaveAsync(CancellationToken.None).ConfigureAwait(false);
        await ownership.SaveAsync(CancellationToken.None).ConfigureAwait(false);
        var environment = EnvironmentInfo.Capture(options.Device.ToString().ToLowerInvariant());
        string logPath = await RunLogWriter.WriteAsync(workspace, runId, plan.Definition.Name, plan.Definition.SourcePath, plan.Definition.Params, plan.Definition.Overrides,
            started, time.GetUtcNow().UtcDateTime, status, outcomes, environment, log, CancellationToken.None).ConfigureAwait(false);
        string reportPath = await Reporting.RunReport.WriteAsync(workspace, logPath, workspace.RunReportPath, selfContained: false, CancellationToken.None).ConfigureAwait(false);
        return (logPath, reportPath);
    }

    private static LockedStage Lock(PlannedStage stage, StageRunRequest request, StageOutcome outcome, IReadOnlyList<StageOutcome> outcomes) => new()
    {
        Kind = request.Kind,
        Version = request.Version,
        Fingerprint = outcome.Fingerprint!,
        Seed = request.Seed,
        Params = ChangeExplainer.Flatten(request.Options),
        Inputs = stage.Inputs.ToDictionary(i => i.Name, i => (i.Reference, request.Inputs[i.Name].Hash), StringComparer.Ordinal),
        Outputs = outcome.Outputs.ToDictionary(o => o.Key, o => (o.Value, outcome.OutputPaths.GetValueOrDefault(o.Key) ?? ""), StringComparer.Ordinal),
        Libraries = request.Libraries,
        OptionsFrom = stage.OptionsSource is { UpstreamStage: { } upstream, UpstreamOutput: { } output }
            ? ($"{upstream}.{output}", outcomes.First(o => o.Id == upstream).Outputs[output]) : null,
    };
}
