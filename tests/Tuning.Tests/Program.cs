using System.Globalization;

namespace Pipelines.Tuning.Tests;

/// <summary>
/// Entry point used only when the test assembly is started as a child process by the multi-process storage
/// tests (`dotnet Pipelines.Tuning.Tests.dll create|worker|hang|driver|victim STORAGE STUDY [N]`, STORAGE a SQLite path
/// or a postgresql:// URL).
/// </summary>
public static class Program
{
    /// <summary>The heartbeat options of the drivers: short, so a killed driver's trials are failed within seconds.</summary>
    internal static readonly StudyOptions DriverOptions = new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(250),
        GracePeriod = TimeSpan.FromSeconds(3), // long enough that a loaded CI machine never delays a live driver past it
        RetryStaleTrials = true,
    };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: create|worker|hang|driver|victim STORAGE STUDY [N]");
            return 2;
        }

        var storage = StorageLocation.Open(args[1]);
        using var disposer = (IDisposable)storage;
        switch (args[0])
        {
            case "worker":
            {
                int n = int.Parse(args[3], CultureInfo.InvariantCulture);
                var study = Study.Load(args[2], storage, new RandomSampler(Environment.ProcessId));
                await study.OptimizeAsync(t => t.SuggestFloat("x", -1, 1) * t.SuggestFloat("x", -1, 1), nTrials: n);
                return 0;
            }

            case "hang":
            {
                var study = Study.Load(args[2], storage, new RandomSampler(1), options: new StudyOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(100) });
                await study.OptimizeAsync(
                    async (t, ct) =>
                    {
                        t.SuggestFloat("x", 0, 1);
                        Console.WriteLine("running");
                        await Task.Delay(Timeout.Infinite, ct);
                        return 0;
                    },
                    nTrials: 1);
                return 0;
            }

            case "create":
                Study.Create(args[2], storage, loadIfExists: true);
                return 0;

            case "driver":
                await DriveAsync(Study.Load(args[2], storage, new RandomSampler(Environment.ProcessId), options: DriverOptions), int.Parse(args[3], CultureInfo.InvariantCulture));
                return 0;

            case "victim":
            {
                // Two trials complete, then both jobs hang inside their next trial until the test kills the process.
                int started = 0;
                var study = Study.Load(args[2], storage, new RandomSampler(Environment.ProcessId), options: DriverOptions);
                await study.OptimizeAsync(
                    async (t, ct) =>
                    {
                        double x = t.SuggestFloat("x", -1, 1);
                        if (Interlocked.Increment(ref started) > 2)
                        {
                            Console.WriteLine($"hang {t.Number}");
                            await Task.Delay(Timeout.Infinite, ct);
                        }

                        await Task.Delay(200, ct);
                        return x * x;
                    },
                    nJobs: 2);
                return 0;
            }

            default:
                Console.Error.WriteLine($"unknown mode '{args[0]}'");
                return 2;
        }
    }

    /// <summary>
    /// One tune driver: two trials in flight until the study has <paramref name="target"/> complete trials, then
    /// it stays until no trial of the study is open, running the retries of trials whose driver died.
    /// </summary>
    private static async Task DriveAsync(Study study, int target)
    {
        static async Task<double> Objective(Trial t, CancellationToken ct)
        {
            double x = t.SuggestFloat("x", -1, 1);
            Console.WriteLine($"start {t.Number}");
            await Task.Delay(200, ct);
            return x * x;
        }

        await study.OptimizeAsync(Objective, nJobs: 2, callbacks: [(s, _) => StopAt(s, target)]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            study.FailStaleTrials();
            var open = study.Trials.Where(t => !t.IsFinished).ToList();
            int waiting = open.Count(t => t.State == TrialState.Waiting);
            if (waiting > 0)
            {
                await study.OptimizeAsync(Objective, nTrials: waiting, nJobs: 2);
            }
            else if (open.Count == 0)
            {
                return;
            }
            else
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException("trials stayed open for a minute");
    }

    private static void StopAt(Study study, int target)
    {
        if (study.GetTrials(TrialState.Complete).Count >= target)
        {
            study.Stop();
        }
    }
}
