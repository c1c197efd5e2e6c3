using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipelines.Tuning;
using Pipelines.Tuning.Bench;

// Usage: dotnet run -c Release --project bench/Tuning.Bench -- [quality|overhead|sqlite|all] [--seeds N] [--trials N] [--parallel N]
// Internal: sqlite-worker DB STUDY N
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "sqlite-worker")
{
    using var storage = new SqliteStorage(args[1]);
    var study = Study.Load(args[2], storage, new RandomSampler(Environment.ProcessId));
    await study.OptimizeAsync(t => t.SuggestFloat("x", -1, 1) * t.SuggestFloat("x", -1, 1), nTrials: int.Parse(args[3], CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length > 0 && args[0] == "profile")
{
    await Profile.RunAsync();
    return 0;
}

if (args.Length > 1 && args[0] == "report")
{
    // An example study with pruning, to look at the report: report OUT_DIR
    Directory.CreateDirectory(args[1]);
    var study = Study.Create("example", sampler: new TpeSampler(1), pruner: new MedianPruner(nStartupTrials: 5, nWarmupSteps: 1));
    await study.OptimizeAsync(
        t =>
        {
            double lr = t.SuggestFloat("lr", 1e-5, 1e-1, log: true);
            long rank = t.SuggestCategorical("rank", new long[] { 4, 8, 16, 32 });
            double dropout = t.SuggestFloat("dropout", 0, 0.5, step: 0.05);
            double loss = 0;
            for (int epoch = 0; epoch < 10; epoch++)
            {
                loss = Math.Pow(Math.Log10(lr) + 3, 2) + (0.02 * Math.Abs(rank - 16)) + (0.1 * dropout) + (2.0 / (epoch + 1));
                t.Report(loss, epoch);
                if (t.ShouldPrune())
                {
                    throw new TrialPrunedException();
                }
            }

            return loss;
        },
        nTrials: 60);
    StudyReport.WriteHtml(study, Path.Combine(args[1], "report.html"));
    StudyReport.WriteJson(study, Path.Combine(args[1], "report.json"));
    var table = TrialsTable.From(study);
    table.WriteCsv(Path.Combine(args[1], "trials.csv"));
    await table.WriteParquetAsync(Path.Combine(args[1], "trials.parquet"));
    Console.WriteLine($"best {study.BestValue} {string.Join(", ", study.BestParams.Select(p => $"{p.Key}={p.Value}"))}; pruned {study.GetTrials(TrialState.Pruned).Count}");
    return 0;
}

string mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
int seeds = Option("--seeds", 20);
int trials = Option("--trials", 100);
int parallel = Option("--parallel", 2);
var report = new StringBuilder();

if (mode is "quality" or "all")
{
    Quality();
}

if (mode is "overhead" or "all")
{
    await Overhead();
}

if (mode is "sqlite" or "all")
{
    await Sqlite();
}

Console.WriteLine();
Console.WriteLine(report.ToString());
return 0;

int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static ISampler MakeSampler(string kind, long seed) => kind switch
{
    "random" => new RandomSampler(seed),
    "tpe" => new TpeSampler(seed),
    "tpe-multivariate" => new TpeSampler(seed, new TpeSamplerOptions { Multivariate = true }),
    "gp" => new GpSampler(seed),
    _ => throw new ArgumentException(kind),
};

void Quality()
{
    string[] samplers = ["random", "tpe", "tpe-multivariate", "gp"];
    report.AppendLine(CultureInfo.InvariantCulture, $"## Best value found: {seeds} seeds × {trials} trials (gap = best − known optimum; median [q1, q3])");
    report.AppendLine();
    report.AppendLine("| function | optimum | " + string.Join(" | ", samplers) + " |");
    report.AppendLine("|---|---|" + string.Concat(samplers.Select(_ => "---|")));
    int gpBraninHits = 0;
    var seconds = new Dictionary<string, double>();
    foreach (var fn in TestFunction.All)
    {
        var cells = new List<string>();
        foreach (var s in samplers)
        {
            var gaps = new double[seeds];
            var at50 = new double[seeds];
            var clock = Stopwatch.StartNew();
            Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, seed =>
            {
                var study = Study.Create($"{fn.Name}-{s}-{seed}", sampler: MakeSampler(s, seed));
                study.OptimizeAsync(fn.Objective, nTrials: trials).GetAwaiter().GetResult();
                gaps[seed] = study.BestValue - fn.Optimum;
                at50[seed] = study.Trials.Take(50).Where(t => t.State == TrialState.Complete).Min(t => t.Value!.Value);
            });
            seconds[s] = seconds.GetValueOrDefault(s) + clock.Elapsed.TotalSeconds;
            if (fn.Name == "branin" && s == "gp")
            {
                gpBraninHits = at50.Count(v => Math.Abs(v - fn.Optimum) <= 0.01 * Math.Abs(fn.Optimum));
            }

            Array.Sort(gaps);
            cells.Add($"{F(Q(gaps, 0.5))} [{F(Q(gaps, 0.25))}, {F(Q(gaps, 0.75))}]");
            Console.Error.WriteLine($"{fn.Name} {s}: median gap {F(Q(gaps, 0.5))} ({clock.Elapsed.TotalSeconds:F1} s)");
        }

        report.AppendLine($"| {fn.Name} | {F(fn.Optimum)} | " + string.Join(" | ", cells) + " |");
    }

    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"GP within 1% of the Branin optimum after 50 trials: {gpBraninHits} of {seeds} seeds.");
    report.AppendLine();
    report.AppendLine("Wall time per sampler over all functions and seeds (s): " + string.Join(", ", seconds.Select(p => $"{p.Key} {p.Value:F0}")));
    report.AppendLine();
}

async Task Overhead()
{
    report.AppendLine("## Sampler overhead (5 float parameters, in-memory storage; ms per trial = ask + 5 suggestions, and per parameter)");
    report.AppendLine();
    report.AppendLine("| sampler | completed trials | ms per trial | ms per suggestion |");
    report.AppendLine("|---|---|---|---|");
    foreach (var (kind, sizes) in new (string, int[])[] { ("random", [100, 1000]), ("tpe", [100, 1000]), ("tpe-multivariate", [100, 1000]), ("gp", [100, 300]) })
    {
        foreach (int n in sizes)
        {
            var storage = new InMemoryStorage();
            var filler = Study.Create("overhead", storage, new RandomSampler(1));
            await filler.OptimizeAsync(Objective5, nTrials: n);
            var study = Study.Load("overhead", storage, MakeSampler(kind, 2));
            int reps = kind == "gp" ? 5 : 30;

            // One warm-up, then timed trials (each adds one trial: the history grows by reps at most).
            study.Tell(Run(study), 0.0);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < reps; i++)
            {
                var t = Run(study);
                study.Tell(t, 0.0);
            }

            double ms = clock.Elapsed.TotalMilliseconds / reps;
            report.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {n} | {ms:F2} | {ms / 5:F2} |");
            Console.Error.WriteLine($"overhead {kind} {n}: {ms:F2} ms/trial");
        }
    }

    report.AppendLine();

    static double Objective5(Trial t)
    {
        double s = 0;
        for (int i = 0; i < 5; i++)
        {
            double x = t.SuggestFloat("x" + i, -5, 5);
            s += x * x;
        }

        return s;
    }

    static Trial Run(Study study)
    {
        var t = study.Ask();
        for (int i = 0; i < 5; i++)
        {
            t.SuggestFloat("x" + i, -5, 5);
        }

        return t;
    }
}

async Task Sqlite()
{
    const int workers = 4, perWorker = 250;
    string dir = Path.Combine(Path.GetTempPath(), "tuning-bench-" + Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(dir);
    string db = Path.Combine(dir, "bench.db");
    using (var storage = new SqliteStorage(db))
    {
        Study.Create("bench", storage, new RandomSampler(0));
    }

    var clock = Stopwatch.StartNew();
    var procs = Enumerable.Range(0, workers).Select(_ =>
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(TestFunction).Assembly.Location);
        psi.ArgumentList.Add("sqlite-worker");
        psi.ArgumentList.Add(db);
        psi.ArgumentList.Add("bench");
        psi.ArgumentList.Add(perWorker.ToString(CultureInfo.InvariantCulture));
        return Process.Start(psi)!;
    }).ToList();
    foreach (var p in procs)
    {
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            Console.Error.WriteLine(await p.StandardError.ReadToEndAsync());
        }
    }

    double secs = clock.Elapsed.TotalSeconds;
    using (var storage = new SqliteStorage(db))
    {
        var all = Study.Load("bench", storage).Trials;
        var numbers = all.Select(t => t.Number).ToList();
        int duplicated = numbers.Count - numbers.Distinct().Count();
        int lost = Enumerable.Range(0, workers * perWorker).Except(numbers).Count();
        int complete = all.Count(t => t.State == TrialState.Complete);
        report.AppendLine(CultureInfo.InvariantCulture, $"## SQLite storage: {workers} processes × {perWorker} trials (random sampler, trivial objective)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"trials stored {all.Count}, complete {complete}, lost numbers {lost}, duplicated numbers {duplicated}, wall {secs:F1} s (includes 4 process starts), {all.Count / secs:F0} trials/s.");
        report.AppendLine();
    }

    Directory.Delete(dir, recursive: true);
}

static double Q(double[] sorted, double q)
{
    double pos = q * (sorted.Length - 1);
    int lo = (int)Math.Floor(pos);
    int hi = Math.Min(lo + 1, sorted.Length - 1);
    return sorted[lo] + ((pos - lo) * (sorted[hi] - sorted[lo]));
}

static string F(double v) => Math.Abs(v) >= 1000 || (Math.Abs(v) < 1e-3 && v != 0) ? v.ToString("0.00e0", CultureInfo.InvariantCulture) : v.ToString("0.0000", CultureInfo.InvariantCulture);
