using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Tuning;

namespace Pipelines.Stages.Tune;

/// <summary>
/// <c>tune</c>: a hyperparameter search whose objective is another stage kind run on this stage's inputs.
/// Every trial is a nested stage run cached by its fingerprint, so a trial with the same parameters and inputs
/// is restored, not recomputed, and an interrupted search resumes where it stopped.
/// </summary>
public sealed class TuneStage : Stage<TuneOptions>
{
    /// <inheritdoc />
    public override string Kind => "tune";

    /// <summary>2: the report gained EDF, rank and timeline plots, the shared page style and six-digit values.</summary>
    public override string Version => "3";

    /// <summary>Its trials are nested stage runs, so the search itself stays on the driver.</summary>
    public override bool InvokesStages => true;

    /// <summary>The objective gets these inputs, by the same names, when they are connected.</summary>
    public override IReadOnlyList<StagePort> Inputs { get; } =
    [
        new("train", ArtifactKind.Table, Required: false), new("validation", ArtifactKind.Table, Required: false),
        new("test", ArtifactKind.Table, Required: false), new("table", ArtifactKind.Table, Required: false),
        new("holdout", ArtifactKind.Table, Required: false), new("base_model", ArtifactKind.Model, Required: false),
    ];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } =
    [
        new("best_params", ArtifactKind.File, Extension: ".json"), new("trials", ArtifactKind.Table),
        new("report", ArtifactKind.Report), new("study", ArtifactKind.File, Extension: ".db"),
    ];

    // Built on first use: its rules compile expressions, and a run validates only the kinds its pipeline uses.
    private IValidator<TuneOptions>? _validator;

    /// <inheritdoc />
    protected override IValidator<TuneOptions> Validator => _validator ??= new TuneOptionsValidator();

    /// <summary>The storage is where the study is kept, as the scratch directory is: moving it changes no result.</summary>
    public override IReadOnlyCollection<string> OptionsOutsideFingerprint { get; } = [TuneConstants.StorageOption];

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, TuneOptions options, CancellationToken cancellationToken)
    {
        var space = SearchSpace.Parse(options.SearchSpace);
        var inputs = Inputs.Where(p => context.HasInput(p.Name)).ToDictionary(p => p.Name, p => p.Name, StringComparer.Ordinal);
        string databasePath = Path.Combine(context.ScratchDirectory, "study.db");
        Directory.CreateDirectory(context.ScratchDirectory);
        IStudyStorage storage = options.Storage is { } url ? OpenShared(url) : new SqliteStorage(databasePath);
        try
        {
            await SearchAsync(context, options, space, inputs, storage, cancellationToken);
        }
        finally
        {
            ((IDisposable)storage).Dispose();
        }
    }

    private static PostgresStorage OpenShared(string url)
    {
        try
        {
            return PostgresStorage.FromUrl(url);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or ArgumentException or TimeoutException)
        {
            throw new UserInputException($"storage {StorageLocation.Redacted(url)}: cannot open the study database ({ex.Message}).");
        }
    }

    private static async Task SearchAsync(StageContext context, TuneOptions options, SearchSpace space, Dictionary<string, string> inputs, IStudyStorage storage, CancellationToken cancellationToken)
    {
        bool shared = storage is PostgresStorage;
        var study = Study.Create(options.StudyName ?? context.StageId, storage,
            SamplerFactory.Create(options.Sampler, context.Seed, nJobs: options.NJobs), PrunerFactory.Create(options.Pruner), options.Direction,
            loadIfExists: shared, options: shared ? TuneConstants.SharedStudy : null);
        if (storage is PostgresStorage postgres)
            context.Logger.LogInformation("Study '{Study}' in PostgreSQL at {Location}: {Trials} trials so far, shared with every driver on it.", study.Name, postgres.Location, study.Trials.Count);

        int finished = 0;
        var said = new OncePerSearch();
        var restored = new ConcurrentDictionary<int, string>(); // trial number -> fingerprint, for the log line
        async Task<double> ObjectiveAsync(Trial trial, CancellationToken ct)
        {
            var parameters = space.SuggestAll(trial);
            var with = (JsonObject)options.Fixed.DeepClone();
            foreach (var (name, value) in parameters) Core.Definition.ParamsTree.Set(with, name, JsonSerializer.SerializeToNode(value)); // "lora.r" sets lora: {r: ...}
            try
            {
                var result = await context.Stages.InvokeAsync(options.Objective, with, inputs, $"trial {trial.Number}", new TrialReporter(trial, said), ct);
                if (result.Cached) restored[trial.Number] = result.Fingerprint; // run log only: a restored trial's record equals a computed one's
                trial.SetUserAttr("fingerprint", result.Fingerprint);
                return ReadMetric(result.Summary, options.Metric, options.Objective);
            }
            catch (Core.TrialPrunedException pruned)
            {
                throw new Tuning.TrialPrunedException(pruned.Message);
            }
        }

        var gate = new Lock();
        void LogFinished(Study s, FrozenTrial trial)
        {
            lock (gate) // parallel trials: one line and one counter step at a time, in finishing order
            {
                string line = TrialLogMessage.For(s, trial);
                if (restored.TryGetValue(trial.Number, out var fingerprint)) line += $" Restored from cache (fingerprint {fingerprint[..Math.Min(8, fingerprint.Length)]}…).";
                context.Logger.LogInformation("{Line}", line);
                int done = ++finished;
                string counter = string.Create(CultureInfo.InvariantCulture, $"trial {done}/{options.NTrials}");
                if (s.GetTrials(TrialState.Complete).Count > 0) counter += $", best {options.Metric} {s.BestValue.ToString("G6", CultureInfo.InvariantCulture)}";
                context.Progress.Report(new StageProgress(done, options.NTrials, counter));
            }
        }

        // In fixed batches even at n_jobs 1: a seed then gives the same trials whatever order parallel ones finish in.
        await study.OptimizeInBatchesAsync(ObjectiveAsync, trial => space.SuggestAll(trial), options.NTrials, options.NJobs,
            options.Timeout is { } t ? TimeSpan.FromSeconds(t) : null, cancellationToken, [LogFinished]);
        cancellationToken.ThrowIfCancellationRequested();

        var complete = study.GetTrials(TrialState.Complete);
        if (complete.Count == 0)
        {
            var reasons = study.Trials.Select(x => x.FailReason).Where(r => r is not null).Distinct().Take(3);
            throw new UserInputException($"stage '{context.StageId}': no trial completed; first failures: {string.Join(" | ", reasons)}");
        }
        var best = study.BestTrial;
        var bestJson = new JsonObject
        {
            ["trial"] = best.Number,
            ["value"] = best.Value,
            ["metric"] = options.Metric,
            ["direction"] = options.Direction.ToString().ToLowerInvariant(),
            ["params"] = JsonSerializer.SerializeToNode(best.Params.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary()),
        };
        await File.WriteAllTextAsync(context.OutputPath("best_params"), bestJson.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);

        // The study, its table and its report are artifacts: written from a copy without wall-clock times, so the same
        // search gives the same bytes. Trial durations go to the run log.
        var durations = study.Trials.Where(x => x.Duration is not null).Select(x => (x.Number, Seconds: x.Duration!.Value.TotalSeconds)).ToList();
        string recordPath = Path.Combine(context.ScratchDirectory, "study-record.db");
        SaveRecord(storage, study.Name, context.ScratchDirectory, recordPath);
        File.Copy(recordPath, context.OutputPath("study"), overwrite: true); // before opening it: opening switches it to WAL
        using (var archived = new SqliteStorage(recordPath))
        {
            var record = Study.Load(study.Name, archived);
            await WriteTrialsAsync(record, context.OutputPath("trials"), cancellationToken);
            StudyReport.WriteHtml(record, Path.Combine(context.OutputPath("report"), "report.html"), $"Search '{context.StageId}': {options.Objective} by {options.Metric}",
                styleSheet: Core.Reporting.HtmlReport.StyleSheet);
            StudyReport.WriteJson(record, Path.Combine(context.OutputPath("report"), "report.json"));
        }

        context.Summary["trials"] = study.Trials.Count;
        context.Summary["complete"] = complete.Count;
        context.Summary["pruned"] = study.GetTrials(TrialState.Pruned).Count;
        context.Summary["failed"] = study.GetTrials(TrialState.Fail).Count;
        context.DeclareMetric("best_value", best.Value ?? double.NaN, options.Direction == StudyDirection.Maximize ? MetricDirection.Higher : MetricDirection.Lower);
        context.Summary["best_trial"] = best.Number;
        context.Summary["restored_trials"] = restored.Count;
        if (durations.Count > 0)
        {
            context.Summary["trial_seconds_mean"] = Math.Round(durations.Average(d => d.Seconds), 3);
            // The report's timeline has no times (it is an artifact); this line in the run log has them.
            context.Logger.LogInformation("Trial seconds: {Seconds}.", string.Join(", ", durations.Select(d => string.Create(CultureInfo.InvariantCulture, $"#{d.Number} {d.Seconds:0.###}"))));
        }
    }

    /// <summary>The study as a SQLite file without wall-clock times; a shared study is first copied into one (its state now).</summary>
    private static void SaveRecord(IStudyStorage storage, string studyName, string scratch, string recordPath)
    {
        if (storage is SqliteStorage local)
        {
            local.SaveCopyWithoutTimes(recordPath);
            local.Dispose(); // closes the file before the record is copied next to it
            return;
        }

        string snapshotPath = Path.Combine(scratch, "study-snapshot.db");
        File.Delete(snapshotPath);
        using var snapshot = new SqliteStorage(snapshotPath);
        StudyCopy.Copy(storage, studyName, snapshot);
        snapshot.SaveCopyWithoutTimes(recordPath);
    }

    private static double ReadMetric(JsonObject summary, string metric, string objective)
    {
        if (summary[metric] is JsonValue value && value.TryGetValue(out double number)) return number;
        if (summary[metric] is JsonValue other && double.TryParse(other.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number)) return number;
        throw new UserInputException($"the objective stage '{objective}' reported no numeric '{metric}'. It reported: {string.Join(", ", summary.Select(p => p.Key))}.");
    }

    /// <summary>The trials table through Core's Parquet writer (one Parquet path for the whole project).</summary>
    private static Task WriteTrialsAsync(Study study, string path, CancellationToken ct)
    {
        var table = TrialsTable.From(study);
        var schema = new TableSchema(table.Columns.Select(c => new ColumnSchema(c.Name, c.Type switch
        {
            TrialsColumnType.Int64 => ColumnType.Int64,
            TrialsColumnType.Double => ColumnType.Double,
            TrialsColumnType.Timestamp => ColumnType.Timestamp,
            _ => ColumnType.String,
        })));
        return ParquetTableWriter.WriteFileAsync(path, new TableBatch(schema, table.RowCount, table.Columns.Select(c => c.Values).ToArray()), cancellationToken: ct);
    }
}
