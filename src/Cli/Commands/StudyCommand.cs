using System.CommandLine;
using System.Globalization;
using Pipelines.Cli.Console;
using Pipelines.Core;
using Pipelines.Tuning;
using Spectre.Console;

namespace Pipelines.Cli.Commands;

/// <summary>
/// <c>pipelines study list|show|report|export</c> on a study storage: a SQLite file (e.g. a tune stage's <c>study.db</c>) or a
/// <c>postgresql://</c> URL (the shared study of tune drivers on several machines).
/// </summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var command = new Command("study", "Inspect hyperparameter studies in a SQLite file (e.g. .pipelines/out/<pipeline>/<tune stage>/study.db) or a postgresql:// database.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Report());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Argument<string> StorageArgument() => new("storage") { Description = "The SQLite study file, or a postgresql://user@host:port/database URL." };

    private static Option<string?> StudyOption() => new("--study") { Description = "The study name (default: the only study in the file)." };

    private static Command List()
    {
        var storage = StorageArgument();
        var list = new Command("list", "List the studies in a storage.") { storage };
        list.SetAction(parse => Guard(() =>
        {
            using var db = Open(parse.GetValue(storage)!);
            var table = new Table().Border(TableBorder.Ascii).AddColumn("study").AddColumn("direction").AddColumn("trials").AddColumn("best");
            foreach (var summary in db.Storage.GetAllStudies())
            {
                var study = Study.Load(summary.Name, db.Storage);
                var complete = study.GetTrials(TrialState.Complete);
                table.AddRow(Markup.Escape(summary.Name), summary.Direction.ToString().ToLowerInvariant(), study.Trials.Count.ToString(CultureInfo.InvariantCulture),
                    complete.Count > 0 ? study.BestValue.ToString("G6", CultureInfo.InvariantCulture) : "-");
            }
            new ConsoleOutput(noColor: true).Console.Write(table);
        }));
        return list;
    }

    private static Command Show()
    {
        var storage = StorageArgument();
        var name = StudyOption();
        var show = new Command("show", "Show a study's trials and its best trial.") { storage, name };
        show.SetAction(parse => Guard(() =>
        {
            using var db = Open(parse.GetValue(storage)!);
            var study = Load(db, parse.GetValue(name));
            var paramNames = study.Trials.SelectMany(t => t.Params.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
            var table = new Table().Border(TableBorder.Ascii).AddColumn("#").AddColumn("state").AddColumn("value");
            foreach (var p in paramNames) table.AddColumn(Markup.Escape(p));
            foreach (var trial in study.Trials)
                table.AddRow([trial.Number.ToString(CultureInfo.InvariantCulture), trial.State.ToString().ToLowerInvariant(),
                    trial.Value?.ToString("G6", CultureInfo.InvariantCulture) ?? "", .. paramNames.Select(p => Markup.Escape(Format(trial.Params.GetValueOrDefault(p))))]);
            var output = new ConsoleOutput(noColor: true);
            output.Console.Write(table);
            if (study.GetTrials(TrialState.Complete).Count > 0)
                output.Line($"Best: trial {study.BestTrial.Number}, value {study.BestValue.ToString("G6", CultureInfo.InvariantCulture)}, " +
                            string.Join(", ", study.BestParams.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Format(p.Value)}")));
        }));
        return show;
    }

    private static Command Report()
    {
        var storage = StorageArgument();
        var name = StudyOption();
        var output = new Option<FileInfo>("--out", "-o") { Description = "The HTML file to write (default study-report.html).", DefaultValueFactory = _ => new FileInfo("study-report.html") };
        var report = new Command("report", "Write a self-contained HTML report of a study (history, importances, slices, contour, pruning).") { storage, name, output };
        report.SetAction(parse => Guard(() =>
        {
            using var db = Open(parse.GetValue(storage)!);
            var study = Load(db, parse.GetValue(name));
            var file = parse.GetValue(output)!;
            StudyReport.WriteHtml(study, file.FullName, styleSheet: Pipelines.Core.Reporting.HtmlReport.StyleSheet);
            System.Console.WriteLine($"Wrote {file.FullName}");
        }));
        return report;
    }

    private static Command Export()
    {
        var storage = StorageArgument();
        var name = StudyOption();
        var output = new Option<FileInfo>("--out", "-o") { Description = "The file to write: .csv or .parquet.", Required = true };
        var export = new Command("export", "Export a study's trials (params, value, state, durations, intermediate values) as CSV or Parquet.") { storage, name, output };
        export.SetAction(async (parse, ct) =>
        {
            var console = new ConsoleOutput(noColor: true);
            return await UserErrors.GuardAsync(async () =>
            {
                using var db = Open(parse.GetValue(storage)!);
                var table = TrialsTable.From(Load(db, parse.GetValue(name)));
                var file = parse.GetValue(output)!;
                if (file.Extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase)) await table.WriteParquetAsync(file.FullName, ct);
                else if (file.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase)) table.WriteCsv(file.FullName);
                else throw new UserInputException($"--out {file.Name}: the file must end in .csv or .parquet.");
                System.Console.WriteLine($"Wrote {table.RowCount} trials to {file.FullName}");
                return ExitCodes.Ok;
            }, console);
        });
        return export;
    }

    private static StudyDatabase Open(string location)
    {
        if (StorageLocation.IsPostgres(location))
        {
            try
            {
                return new StudyDatabase(PostgresStorage.FromUrl(location));
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or ArgumentException or TimeoutException)
            {
                throw new UserInputException($"{StorageLocation.Redacted(location)}: cannot open the study database: {ex.Message}");
            }
        }

        var file = new FileInfo(location);
        if (!file.Exists) throw new UserInputException($"{file.FullName}: study storage not found.");
        try
        {
            return new StudyDatabase(new SqliteStorage(file.FullName));
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw new UserInputException($"{file.FullName}: not a study storage (a SQLite file written by a tune stage): {ex.Message}");
        }
    }

    /// <summary>An opened storage of either kind, closed with the command.</summary>
    private sealed class StudyDatabase(IStudyStorage storage) : IDisposable
    {
        public IStudyStorage Storage { get; } = storage;

        public void Dispose() => ((IDisposable)Storage).Dispose();
    }

    private static Study Load(StudyDatabase database, string? name)
    {
        var db = database.Storage;
        var studies = db.GetAllStudies();
        if (name is not null)
            return studies.Any(s => s.Name == name) ? Study.Load(name, db)
                : throw new UserInputException($"no study named '{name}'; the storage has: {string.Join(", ", studies.Select(s => s.Name))}.");
        return studies.Count switch
        {
            0 => throw new UserInputException("the storage holds no study."),
            1 => Study.Load(studies[0].Name, db),
            _ => throw new UserInputException($"the storage holds several studies ({string.Join(", ", studies.Select(s => s.Name))}); name one with --study."),
        };
    }

    private static string Format(object? value) => value switch
    {
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        null => "",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static int Guard(Action action)
    {
        try
        {
            action();
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is UserInputException or InvalidOperationException or ArgumentException)
        {
            new ConsoleOutput(noColor: true).Error(ex.Message);
            return ExitCodes.InvalidInput;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            new ConsoleOutput(noColor: true).Error($"not a study storage (a SQLite file written by a tune stage): {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (Npgsql.NpgsqlException ex)
        {
            new ConsoleOutput(noColor: true).Error($"the study database failed: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
    }
}
