using System.Collections.Concurrent;
using System.Globalization;
using Pipelines.Core;
using Pipelines.Core.Running;
using Spectre.Console;

namespace Pipelines.Cli.Console;

/// <summary>
/// Shows a run as it happens: a live progress bar per running stage on a terminal, one line per event
/// otherwise; and the closing summary table.
/// </summary>
internal sealed class RunView : IRunObserver
{
    private readonly ConsoleOutput _output;
    private readonly ConcurrentDictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private ProgressContext? _progress;

    public RunView(ConsoleOutput output) => _output = output;

    /// <summary>Runs <paramref name="run"/> inside a live progress display (rich mode) or plainly.</summary>
    public async Task<T> ShowAsync<T>(Func<Task<T>> run)
    {
        if (!_output.Rich) return await run();
        T result = default!;
        await _output.Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _progress = context;
                result = await run();
            });
        return result;
    }

    public void OnEvent(RunEvent runEvent)
    {
        lock (_gate)
        {
            switch (runEvent)
            {
                case StageStarted started:
                    if (_progress is { } p) _tasks[started.StageId] = p.AddTask($"{Markup.Escape(started.StageId)} [grey]({Markup.Escape(started.Reason)})[/]", maxValue: 1).IsIndeterminate(true);
                    else _output.Line($"> {started.StageId}: running ({started.Reason})");
                    break;
                case StageProgressed progressed when _tasks.TryGetValue(progressed.StageId, out var task):
                    if (progressed.Progress.Total > 0)
                    {
                        task.IsIndeterminate(false);
                        task.MaxValue = progressed.Progress.Total;
                        task.Value = Math.Min(progressed.Progress.Done, progressed.Progress.Total);
                    }
                    // The stage's own words ("trial 3/20", "loss 0.4123") beside its id: a live counter, not just a bar.
                    if (progressed.Progress.Message is { Length: > 0 } message)
                        task.Description = $"{Markup.Escape(progressed.StageId)} [grey]{Markup.Escape(message)}[/]";
                    break;
                case StageLogged logged when !_output.Rich:
                    _output.Line($"  [{logged.StageId}] {logged.Message}");
                    break;
                case StageFinished finished:
                    Finished(finished.Outcome);
                    break;
            }
        }
    }

    private void Finished(StageOutcome outcome)
    {
        string seconds = outcome.Seconds.ToString("0.00", CultureInfo.InvariantCulture) + "s";
        if (_tasks.TryGetValue(outcome.Id, out var task))
        {
            task.IsIndeterminate(false);
            task.Value = task.MaxValue;
            task.Description = outcome.Status switch
            {
                StageStatus.Ran => $"[blue]{Markup.Escape(outcome.Id)}[/] ran",
                StageStatus.Failed => $"[red]{Markup.Escape(outcome.Id)} failed[/]",
                _ => Markup.Escape(outcome.Id),
            };
            task.StopTask();
            if (outcome.Status == StageStatus.Failed) _progress?.Refresh();
            return;
        }
        if (_progress is not null)
        {
            if (outcome.Status is StageStatus.Cached or StageStatus.Skipped)
            {
                var t = _progress.AddTask(outcome.Status == StageStatus.Cached
                    ? $"[green]{Markup.Escape(outcome.Id)}[/] [grey]restored ({Markup.Escape(outcome.Reason)})[/]"
                    : $"[grey]{Markup.Escape(outcome.Id)} skipped ({Markup.Escape(outcome.Reason)})[/]", maxValue: 1);
                t.Value = 1;
                t.StopTask();
            }
            return;
        }
        _output.Line(outcome.Status switch
        {
            StageStatus.Ran => $"+ {outcome.Id}: ran in {seconds}",
            StageStatus.Cached => $"= {outcome.Id}: restored from cache ({outcome.Reason})",
            StageStatus.Failed => $"x {outcome.Id}: failed: {outcome.Error}",
            _ => $"- {outcome.Id}: skipped ({outcome.Reason})",
        });
    }

    /// <summary>The closing table: every stage, what happened, time and why.</summary>
    public void Summary(RunResult result)
    {
        var table = new Table().Border(_output.Rich ? TableBorder.Rounded : TableBorder.Ascii)
            .AddColumn("stage").AddColumn("status").AddColumn(new TableColumn("seconds").RightAligned()).AddColumn("fingerprint").AddColumn("why");
        foreach (var s in result.Stages)
        {
            string status = s.Status.ToString().ToLowerInvariant();
            string colored = s.Status switch
            {
                StageStatus.Ran => $"[blue]{status}[/]",
                StageStatus.Cached => $"[green]{status}[/]",
                StageStatus.Failed => $"[red]{status}[/]",
                _ => $"[grey]{status}[/]",
            };
            table.AddRow(Markup.Escape(s.Id), colored, s.Seconds.ToString("0.00", CultureInfo.InvariantCulture),
                s.Fingerprint is { } f ? f[..8] : "", Markup.Escape(s.Error ?? s.Reason));
        }
        _output.Console.Write(table);
        int ran = result.Stages.Count(s => s.Status == StageStatus.Ran), cached = result.Stages.Count(s => s.Status == StageStatus.Cached);
        string line = $"Run {result.RunId} {result.Status}: {ran} ran, {cached} restored from cache, {result.Seconds.ToString("0.00", CultureInfo.InvariantCulture)}s.\nLog: {result.LogPath}\nReport: {result.ReportPath}";
        _output.Markup(result.Succeeded ? $"[green]{Markup.Escape(line)}[/]" : $"[red]{Markup.Escape(line)}[/]");
        var failed = result.Stages.Where(s => s.Status == StageStatus.Failed).ToArray();
        var skipped = result.Stages.Where(s => s.Status == StageStatus.Skipped).Select(s => s.Id).ToArray();
        foreach (var f in failed) _output.Error($"stage '{f.Id}' failed: {f.Error}");
        if (skipped.Length > 0) _output.Error($"skipped because an upstream stage failed: {string.Join(", ", skipped)}");
    }
}
