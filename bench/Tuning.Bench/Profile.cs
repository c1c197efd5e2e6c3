using System.Diagnostics;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning.Bench;

/// <summary>Breaks the TPE cost at 1000 trials into its parts (used while tuning the implementation).</summary>
internal static class Profile
{
    public static async Task RunAsync()
    {
        string db = Path.Combine(Path.GetTempPath(), "profile-" + Guid.NewGuid().ToString("N") + ".db");
        using (var sqlite = new SqliteStorage(db))
        {
            var sq = Study.Create("sq", sqlite, new RandomSampler(1));
            var fill = Stopwatch.StartNew();
            await sq.OptimizeAsync(t => t.SuggestFloat("x", -5, 5) + t.SuggestFloat("y", -5, 5), nTrials: 1000);
            Console.WriteLine($"sqlite fill 1000: {fill.Elapsed.TotalSeconds:F2} s");
            fill.Restart();
            for (int i = 0; i < 10; i++)
            {
                _ = sq.Trials;
            }

            Console.WriteLine($"sqlite GetAllTrials(1000): {fill.Elapsed.TotalMilliseconds / 10:F1} ms");
        }

        File.Delete(db);

        foreach (long seed in new long[] { 0, 1, 2 })
        {
            var st = Study.Create("b", sampler: new RandomSampler(seed));
            await st.OptimizeAsync(TestFunction.All[0].Objective, nTrials: 100);
            Console.WriteLine($"seed {seed}: first x1 {st.Trials[0].Params["x1"]} best {st.BestValue} at {st.BestTrial.Number}");
        }

        var storage = new InMemoryStorage();
        var filler = Study.Create("p", storage, new RandomSampler(1));
        await filler.OptimizeAsync(t => t.SuggestFloat("x", -5, 5), nTrials: 1000);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 100; i++)
        {
            _ = filler.Trials;
        }

        Console.WriteLine($"study.Trials: {sw.Elapsed.TotalMilliseconds / 100:F3} ms");
        var trials = filler.Trials;
        var obs = trials.Select(t => t.InternalParams["x"]).ToArray();
        var dist = new FloatDistribution(-5, 5);
        var w = ParzenEstimator.DefaultWeights(obs.Length);
        sw.Restart();
        ParzenEstimator? pe = null;
        for (int i = 0; i < 100; i++)
        {
            pe = new ParzenEstimator([dist], [obs], w, new ParzenEstimatorParameters());
        }

        Console.WriteLine($"estimator(1000): {sw.Elapsed.TotalMilliseconds / 100:F3} ms");
        sw.Restart();
        double acc = 0;
        for (int i = 0; i < 100000; i++)
        {
            acc += NormalMath.FastCdf(-3 + (i * 1e-5));
        }

        Console.WriteLine($"cdf: {sw.Elapsed.TotalMilliseconds * 1e6 / 100000:F1} ns ({acc:F1})");
        sw.Restart();
        for (int i = 0; i < 100000; i++)
        {
            acc += Math.Log(1 + (i * 1e-5));
        }

        Console.WriteLine($"log: {sw.Elapsed.TotalMilliseconds * 1e6 / 100000:F1} ns ({acc:F1})");
        var cand = new[] { Enumerable.Range(0, 24).Select(i => -5 + (i * 0.4)).ToArray() };
        sw.Restart();
        for (int i = 0; i < 100; i++)
        {
            pe!.LogPdf(cand);
        }

        Console.WriteLine($"logpdf(24 x 1000): {sw.Elapsed.TotalMilliseconds / 100:F3} ms");
        var tpe = new TpeSampler(1);
        var study = Study.Load("p", storage, tpe);
        sw.Restart();
        for (int i = 0; i < 20; i++)
        {
            var t = study.Ask();
            t.SuggestFloat("x", -5, 5);
            study.Tell(t, 0);
        }

        Console.WriteLine($"tpe trial (1 param): {sw.Elapsed.TotalMilliseconds / 20:F3} ms");
        double ask = 0, suggest = 0, tell = 0;
        for (int i = 0; i < 20; i++)
        {
            sw.Restart();
            var t = study.Ask();
            ask += sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            t.SuggestFloat("x", -5, 5);
            suggest += sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            study.Tell(t, 0);
            tell += sw.Elapsed.TotalMilliseconds;
        }

        Console.WriteLine($"ask {ask / 20:F3} suggest {suggest / 20:F3} tell {tell / 20:F3} ms");
        sw.Restart();
        for (int i = 0; i < 20; i++)
        {
            var sorted = study.Trials.Where(t => t.State == TrialState.Complete).OrderBy(t => t.Value!.Value).ThenBy(t => t.Number).ToList();
        }

        Console.WriteLine($"sort: {sw.Elapsed.TotalMilliseconds / 20:F3} ms");
    }
}
