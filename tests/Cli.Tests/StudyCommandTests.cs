using NUnit.Framework;
using Pipelines.Tuning;

namespace Pipelines.Cli.Tests;

/// <summary><c>pipelines study ...</c> on a real SQLite study file and a PostgreSQL study.</summary>
public class StudyCommandTests
{
    private string _dir = null!;
    private string _db = null!;
    private string _url = null!;

    [OneTimeSetUp]
    public async Task CreateStudy()
    {
        _dir = Path.Combine(Path.GetTempPath(), "pipelines-study-cli", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _db = Path.Combine(_dir, "study.db");
        using var storage = new SqliteStorage(_db);
        var study = Study.Create("search", storage, new RandomSampler(seed: 1));
        await study.OptimizeAsync(t => Math.Pow(t.SuggestFloat("x", -3, 3) - 1, 2), nTrials: 12);

        _url = Pipelines.Tuning.Tests.Storage.LocalPostgres.Instance.NewSchemaUrl();
        using var shared = PostgresStorage.FromUrl(_url);
        await Study.Create("shared", shared, new RandomSampler(seed: 2)).OptimizeAsync(t => t.SuggestFloat("x", 0, 1), nTrials: 5);
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_dir, true);

    [Test]
    public void List_names_the_study_with_its_trial_count()
    {
        var (code, stdout, _) = CliProcess.Run(_dir, "study", "list", _db);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Match(@"\| search\s+\| minimize\s+\| 12 "));
    }

    [Test]
    public void Show_prints_every_trial_and_the_best_one()
    {
        var (code, stdout, _) = CliProcess.Run(_dir, "study", "show", _db);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("Best: trial ").And.Contain("x="));
        Assert.That(stdout.Split('\n').Count(l => l.Contains("| complete")), Is.EqualTo(12));
    }

    [Test]
    public void Export_writes_a_csv_with_one_row_per_trial_and_report_writes_html()
    {
        string csv = Path.Combine(_dir, "trials.csv");
        Assert.That(CliProcess.Run(_dir, "study", "export", _db, "--out", csv).ExitCode, Is.EqualTo(0));
        Assert.That(File.ReadAllLines(csv), Has.Length.EqualTo(13));
        string html = Path.Combine(_dir, "r.html");
        Assert.That(CliProcess.Run(_dir, "study", "report", _db, "--out", html).ExitCode, Is.EqualTo(0));
        Assert.That(File.ReadAllText(html), Does.Contain("<html"));
    }

    [Test]
    public void An_unknown_study_name_exits_2_naming_the_studies_there()
    {
        var (code, _, stderr) = CliProcess.Run(_dir, "study", "show", _db, "--study", "nope");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("no study named 'nope'; the storage has: search."));
    }

    [Test]
    public void List_and_show_read_a_study_in_postgres_from_its_url()
    {
        var (code, stdout, stderr) = CliProcess.Run(_dir, "study", "list", _url);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Match(@"\| shared\s+\| minimize\s+\| 5 "));
        (code, stdout, stderr) = CliProcess.Run(_dir, "study", "show", _url);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout.Split('\n').Count(l => l.Contains("| complete")), Is.EqualTo(5));
    }

    [Test]
    public void A_postgres_url_that_cannot_be_reached_exits_2_without_its_password()
    {
        var (code, _, stderr) = CliProcess.Run(_dir, "study", "list", "postgresql://tuner:secret@127.0.0.1:1/pipelines?timeout=2");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("postgresql://tuner:***@127.0.0.1:1/pipelines").And.Not.Contain("secret"));
    }
}
