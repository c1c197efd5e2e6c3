using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Internal;
using Pipelines.Core.Running;

namespace Pipelines.Core.Slurm;

/// <summary>
/// Runs each stage as one Slurm batch job: writes its request to the shared workspace, submits
/// <c>pipelines worker run REQUEST</c> with <c>sbatch --parsable --requeue</c>, follows the job with
/// <c>scontrol show job</c> and returns the outputs the worker put in the shared store. A job already running for
/// the same fingerprint (a restarted driver's) is adopted, not submitted again; cancelling scancels the job.
/// Coordinator stages (<see cref="IStage.InvokesStages"/>) run on the driver; the stages they invoke come back here.
/// </summary>
public sealed class SlurmStageExecutor : IStageExecutor
{
    private readonly Workspace _workspace;
    private readonly StageRegistry _registry;
    private readonly IStageExecutor _driver;
    private readonly SlurmOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lazy<Task<SlurmAnswer>>> _inFlight = new(StringComparer.Ordinal);
    private readonly Lock _submissionLog = new();

    /// <summary>
    /// Creates an executor submitting from <paramref name="workspace"/> (which the nodes must see at the same path);
    /// <paramref name="driver"/> runs the coordinator stages in this process.
    /// </summary>
    public SlurmStageExecutor(Workspace workspace, StageRegistry registry, IStageExecutor driver, SlurmOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.WorkerCommand.Count == 0) throw new ArgumentException("The worker command must name the pipelines CLI.", nameof(options));
        _workspace = workspace;
        _registry = registry;
        _driver = driver;
        _options = options with { };
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<StageRunResult> ExecuteAsync(StageRunRequest request, StageRunCallbacks callbacks, CancellationToken cancellationToken)
    {
        var stage = _registry.Resolve(request.Kind) ?? throw new InvalidOperationException($"Unknown stage kind '{request.Kind}'.");
        if (stage.InvokesStages) return await _driver.ExecuteAsync(request, callbacks, cancellationToken).ConfigureAwait(false);

        cancellationToken.ThrowIfCancellationRequested();
        string fingerprint = request.Fingerprint();
        // Two requests for one fingerprint at once (a search sampling the same point twice in parallel) share one
        // job: a second submission would delete the first job's answer and take over its job file.
        var job = _inFlight.GetOrAdd(fingerprint, f => new Lazy<Task<SlurmAnswer>>(() => RunJobAsync(request, new SlurmJobFiles(_workspace, f), callbacks, cancellationToken)));
        var answer = await job.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (callbacks.Reporter is { } reporter)
            foreach (var value in answer.IntermediateValues) reporter.Report(value.Value, value.Step);
        return answer.ToResult();
    }

    private async Task<SlurmAnswer> RunJobAsync(StageRunRequest request, SlurmJobFiles files, StageRunCallbacks callbacks, CancellationToken cancellationToken)
    {
        string? id = null;
        try
        {
            id = await AdoptAsync(files, callbacks.Logger).ConfigureAwait(false) ?? await SubmitAsync(request, files, callbacks).ConfigureAwait(false);
            return await FollowAsync(id, files, callbacks.Logger, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && id is not null)
        {
            await SlurmCommands.CancelAsync(id).ConfigureAwait(false);
            callbacks.Logger?.LogWarning("Slurm job {Job} cancelled (scancel).", id);
            throw;
        }
        finally
        {
            _inFlight.TryRemove(files.Fingerprint, out _);
        }
    }

    /// <summary>
    /// The job a previous driver submitted for this fingerprint, when it is still pending or running. A job that has
    /// ended is not adopted even if it answered: the runner only asks for stages it wants computed (a forced one too).
    /// </summary>
    private static async Task<string?> AdoptAsync(SlurmJobFiles files, ILogger? logger)
    {
        string? id = File.Exists(files.JobId) ? File.ReadAllText(files.JobId).Trim() : null;
        var info = string.IsNullOrEmpty(id) ? null : await SlurmCommands.ShowJobAsync(id).ConfigureAwait(false);
        if (!IsJobOf(info, files))
        {
            // A driver killed between sbatch and writing the job file left no id; the job name still finds the job.
            id = (await SlurmCommands.FindActiveAsync(files.JobName).ConfigureAwait(false)).FirstOrDefault();
            info = id is null ? null : await SlurmCommands.ShowJobAsync(id).ConfigureAwait(false);
            if (!IsJobOf(info, files)) return null;
        }
        logger?.LogInformation("Adopting Slurm job {Job} ({State}), already submitted for this fingerprint.", id, info.State);
        return id;
    }

    /// <summary>
    /// Whether a job is live and runs this workspace's script for this fingerprint: a job id reused after the controller
    /// lost its state, or another workspace's job for the same pipeline, has another script.
    /// </summary>
    private static bool IsJobOf([NotNullWhen(true)] SlurmJobInfo? info, SlurmJobFiles files) =>
        info is { IsActive: true } && info.Name == files.JobName && info.Command == files.Script;

    private async Task<string> SubmitAsync(StageRunRequest request, SlurmJobFiles files, StageRunCallbacks callbacks)
    {
        Directory.CreateDirectory(files.Directory);
        File.Delete(files.Answer); // an answer of an earlier job for this fingerprint must not be taken for this one's
        SlurmRequestFile.Write(files.Request, request, callbacks.Device);
        File.WriteAllText(files.Script, Script(files));
        string id = await SlurmCommands.SubmitAsync(SubmitArguments(files, callbacks.Resources)).ConfigureAwait(false);
        string temp = SiblingTemp.For(files.JobId);
        File.WriteAllText(temp, id + "\n");
        File.Move(temp, files.JobId, overwrite: true);
        string line = string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow().UtcDateTime:O} {id} {files.Fingerprint} {request.StageId}\n");
        lock (_submissionLog) // trials in flight submit from several threads; appends must not interleave
        {
            File.AppendAllText(SlurmJobFiles.SubmissionLogOf(_workspace), line);
        }
        callbacks.Logger?.LogInformation("Submitted Slurm job {Job} ({Name}).", id, files.JobName);
        return id;
    }

    private List<string> SubmitArguments(SlurmJobFiles files, StageResources resources)
    {
        var arguments = new List<string>
        {
            "--requeue", "--job-name", files.JobName, "--chdir", _workspace.Root, "--open-mode=append",
            "--output", files.Stdout, "--error", files.Stderr,
        };
        if (_options.Partition is { } partition) arguments.Add("--partition=" + partition);
        if (resources.Cpus is { } cpus) arguments.Add("--cpus-per-task=" + cpus.ToString(CultureInfo.InvariantCulture));
        if (resources.Mem is { } mem) arguments.Add("--mem=" + mem);
        if (resources.Gpus is { } gpus) arguments.Add("--gpus=" + gpus);
        if (resources.Time is { } time) arguments.Add("--time=" + time);
        // Given last, so an option on the command line wins over the stage's resources.
        foreach (var (name, value) in _options.ExtraOptions) arguments.Add(value.Length == 0 ? "--" + name : $"--{name}={value}");
        arguments.Add(files.Script);
        return arguments;
    }

    private string Script(SlurmJobFiles files)
    {
        var command = _options.WorkerCommand.Concat(["worker", "run", files.Request, "--workspace", _workspace.Root]).Select(Quote);
        return new StringBuilder()
            .Append("#!/bin/sh\n")
            .Append(CultureInfo.InvariantCulture, $"# pipelines: computes fingerprint {files.Fingerprint} and answers in {files.Answer}\n")
            .Append("exec ").AppendJoin(' ', command).Append('\n')
            .ToString();
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Polls the job until its current attempt answers (accepted) or it ends without answering (its stderr's tail is the
    /// error). An answer from another attempt than the job's current one is a dead attempt's: ignored.
    /// </summary>
    private async Task<SlurmAnswer> FollowAsync(string id, SlurmJobFiles files, ILogger? logger, CancellationToken cancellationToken)
    {
        var delay = _options.PollInterval;
        string seen = "";
        int released = 0, ignoredAttempt = -1;
        DateTimeOffset? completedAt = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = await SlurmCommands.ShowJobAsync(id).ConfigureAwait(false);
            if (SlurmAnswer.TryRead(files.Answer) is { } answer && answer.JobId == id)
            {
                if (info is null || answer.Attempt == info.Restarts)
                {
                    logger?.LogInformation("Slurm job {Job} answered from {Node} (attempt {Attempt}).", id, answer.Node, answer.Attempt);
                    return answer;
                }
                if (answer.Attempt != ignoredAttempt)
                {
                    ignoredAttempt = answer.Attempt;
                    logger?.LogWarning("Slurm job {Job}: ignoring the answer of attempt {Attempt}; following attempt {Current}.", id, answer.Attempt, info.Restarts);
                }
            }
            if (info is null) throw Failure(id, files, "is no longer known to Slurm and left no answer");

            string now = $"{info.State} {info.Node} {info.Restarts}";
            if (now != seen)
            {
                seen = now;
                delay = _options.PollInterval;
                logger?.LogInformation("Slurm job {Job}: {State}{Node} (attempt {Attempt}).", id, info.State, info.Node.Length > 0 ? " on " + info.Node : "", info.Restarts);
            }
            if (info.State == "COMPLETED")
            {
                completedAt ??= _time.GetUtcNow();
                if (_time.GetUtcNow() - completedAt > _options.AnswerGrace) throw Failure(id, files, "completed without an answer");
            }
            else if (!info.IsActive)
            {
                throw Failure(id, files, $"ended {info.State} (exit {info.ExitCode}){(info.Node.Length > 0 ? " on " + info.Node : "")}");
            }
            if (info is { State: "PENDING", Reason: "BeginTime", Restarts: > 0 } && released < info.Restarts)
            {
                released = info.Restarts;
                logger?.LogInformation("Slurm job {Job} was requeued (attempt {Attempt}); releasing it now.", id, info.Restarts);
                await SlurmCommands.ReleaseAsync(id).ConfigureAwait(false);
            }
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(_options.MaxPollInterval.Ticks, (long)(delay.Ticks * 1.5)));
        }
    }

    private static SlurmJobFailedException Failure(string id, SlurmJobFiles files, string what)
    {
        string tail = Tail(files.Stderr, 20);
        return new SlurmJobFailedException(tail.Length == 0
            ? $"Slurm job {id} {what}; its stderr ({files.Stderr}) is empty."
            : $"Slurm job {id} {what}; the end of its stderr ({files.Stderr}):{Environment.NewLine}{tail}");
    }

    /// <summary>The last <paramref name="lines"/> non-empty lines of a file, or "" when there is none.</summary>
    internal static string Tail(string path, int lines)
    {
        try
        {
            if (!File.Exists(path)) return "";
            var kept = File.ReadLines(path).Where(l => l.Trim().Length > 0).TakeLast(lines);
            return string.Join(Environment.NewLine, kept);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
