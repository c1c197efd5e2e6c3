using System.Diagnostics;
using System.Text.Json;

namespace Pipelines.Tuning.Tests.Storage;

/// <summary>PostgreSQL-only behaviour: URLs, schemas, and tune drivers in several processes on one study.</summary>
public class PostgresStorageTests
{
    private static Process StartDriver(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }

    [Test]
    public void A_url_becomes_an_npgsql_connection_string()
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString("postgresql://tuner:p%40ss@db.example:6543/studies?schema=lora&sslmode=require"));
        Assert.That((b.Host, b.Port, b.Database, b.Username, b.Password, b.SearchPath), Is.EqualTo(("db.example", 6543, "studies", "tuner", "p@ss", "lora")));
        Assert.That(b.SslMode, Is.EqualTo(Npgsql.SslMode.Require));

        var plain = new Npgsql.NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString("postgres://127.0.0.1/pipelines"));
        Assert.That((plain.Host, plain.Port, plain.Database, plain.Username), Is.EqualTo(("127.0.0.1", 5432, "pipelines", (string?)null)));
    }

    [Test]
    public void A_url_without_a_database_or_with_an_unknown_option_is_rejected_without_its_password()
    {
        var noDb = Assert.Throws<ArgumentException>(() => PostgresUrl.ToConnectionString("postgresql://u:secret@host:5432"));
        Assert.That(noDb!.Message, Does.Contain("names no database").And.Not.Contain("secret"));
        var unknown = Assert.Throws<ArgumentException>(() => PostgresUrl.ToConnectionString("postgresql://u:secret@host/db?colour=blue"));
        Assert.That(unknown!.Message, Does.Contain("colour").And.Not.Contain("secret"));
        Assert.That(StorageLocation.Redacted("postgresql://u:secret@host/db"), Is.EqualTo("postgresql://u:***@host/db"));
    }

    [Test]
    public void Storage_location_opens_postgres_for_a_url_and_sqlite_for_a_path()
    {
        string db = Path.Combine(Path.GetTempPath(), "tuning-location-" + Guid.NewGuid().ToString("N") + ".db");
        var sqlite = StorageLocation.Open(db);
        var postgres = StorageLocation.Open(LocalPostgres.Instance.NewSchemaUrl());
        try
        {
            Assert.That(sqlite, Is.InstanceOf<SqliteStorage>());
            Assert.That(postgres, Is.InstanceOf<PostgresStorage>());
            Assert.That(((PostgresStorage)postgres).Location, Does.StartWith("127.0.0.1:").And.EndWith("/pipelines"));
        }
        finally
        {
            ((IDisposable)sqlite).Dispose();
            ((IDisposable)postgres).Dispose();
            File.Delete(db);
        }
    }

    [Test]
    public void Two_storages_opening_one_new_schema_at_once_both_see_the_same_tables()
    {
        string cs = LocalPostgres.Instance.NewSchemaConnectionString();
        var storages = new PostgresStorage[4];
        Parallel.For(0, storages.Length, i => storages[i] = new PostgresStorage(cs));
        try
        {
            int id = storages[0].CreateStudy("shared", StudyDirection.Maximize);
            Assert.That(storages.Select(s => s.FindStudy("shared")?.StudyId), Is.All.EqualTo(id));
        }
        finally
        {
            foreach (var s in storages)
            {
                s.Dispose();
            }
        }
    }

    [Test]
    public async Task Four_drivers_with_two_trials_in_flight_and_one_killed_lose_and_duplicate_no_trial()
    {
        const int target = 24;
        string url = LocalPostgres.Instance.NewSchemaUrl();
        using (var setup = PostgresStorage.FromUrl(url))
        {
            Study.Create("shared", setup, new RandomSampler(0));
        }

        // The victim starts first and hangs in two trials; it is killed once the other drivers are under way.
        using var victim = StartDriver("victim", url, "shared");
        var victimErr = victim.StandardError.ReadToEndAsync();
        var hung = new List<int>();
        while (hung.Count < 2)
        {
            string? line = await victim.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (line is null)
            {
                Assert.Fail("the victim exited: " + await victimErr);
            }

            hung.Add(int.Parse(line!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
            TestContext.Progress.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} victim: {line}");
        }

        TestContext.Progress.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} starting drivers");
        var drivers = Enumerable.Range(0, 3).Select(_ => StartDriver("driver", url, "shared", target.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        try
        {
            string? first = await drivers[0].StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(first, Does.StartWith("start"));
            TestContext.Progress.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} driver: {first}");
            victim.Kill(); // SIGKILL: no heartbeat, no tell, nothing more from it
            await victim.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            TestContext.Progress.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} victim killed");

            var errors = drivers.Select(d => d.StandardError.ReadToEndAsync()).ToArray();
            var outputs = drivers.Select(d => d.StandardOutput.ReadToEndAsync()).ToArray();
            foreach (var (d, i) in drivers.Select((d, i) => (d, i)))
            {
                await d.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
                await outputs[i];
                Assert.That(d.ExitCode, Is.EqualTo(0), await errors[i]);
            }
        }
        finally
        {
            if (!victim.HasExited)
            {
                victim.Kill();
            }

            foreach (var d in drivers)
            {
                if (!d.HasExited)
                {
                    d.Kill();
                }

                d.Dispose();
            }
        }

        using var storage = PostgresStorage.FromUrl(url);
        var trials = Study.Load("shared", storage).Trials;
        Assert.That(trials.Select(t => t.Number), Is.EqualTo(Enumerable.Range(0, trials.Count)), "numbers 0..N-1, each once");
        Assert.That(trials.Where(t => !t.IsFinished), Is.Empty, "every trial finished");
        Assert.That(trials.Where(t => t.State == TrialState.Fail).Select(t => t.Number), Is.EquivalentTo(hung), "exactly the killed driver's two trials failed");
        Assert.That(trials.Where(t => t.State == TrialState.Fail).Select(t => t.FailReason), Has.All.Contain("heartbeats"));
        // Past the target: at most one trial per job of the three drivers in flight when it was reached, and the
        // two retries each driver may run while draining, which start new trials when another driver took them.
        Assert.That(trials.Count(t => t.State == TrialState.Complete), Is.InRange(target, target + (3 * 2) + (3 * 2)), "the target, plus what was in flight");
        foreach (int number in hung)
        {
            var dead = trials.Single(t => t.Number == number);
            var retries = trials.Where(t => t.SystemAttrs.TryGetValue("retried_from", out var from) && from.ValueKind == JsonValueKind.Number && from.GetInt32() == number).ToList();
            Assert.That(retries, Has.Count.EqualTo(1), $"trial {number} is retried once");
            Assert.That(retries[0].State, Is.EqualTo(TrialState.Complete));
            Assert.That(retries[0].Params["x"], Is.EqualTo(dead.Params["x"]), "with the parameters it had");
        }
    }
}
