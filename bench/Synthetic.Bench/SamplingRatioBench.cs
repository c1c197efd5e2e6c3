using System.Diagnostics;
using Pipelines.Synthetic;

namespace Pipelines.Synthetic.Bench;

/// <summary>
/// Issue 17: TVAE sampling (decoder in ONNX Runtime) against copula sampling of the same rows, in one process,
/// interleaved copula, TVAE, copula, TVAE ... with the median of each and the load average printed beside it.
/// </summary>
internal static class SamplingRatioBench
{
    public static void Run(ColumnTable train, int epochs, int rows, int rounds)
    {
        var copula = new GaussianCopulaSynthesizer();
        copula.Fit(train, 1);
        var options = new TvaeOptions { Epochs = epochs };
        using var tvae = new TvaeSynthesizer(options);
        tvae.Fit(train, 1);
        copula.Sample(10_000, 0); // warm up both paths (JIT, ONNX Runtime session)
        tvae.Sample(10_000, 0);
        Console.WriteLine($"settings: {train.Columns.Count} columns, {rows:N0} rows per sample, {rounds} rounds; TVAE {epochs} epochs, " +
            $"sample_batch_size {options.SampleBatchSize}, {tvae.OutputDim} decoder outputs; {Environment.ProcessorCount} cores");
        var copulaSeconds = new List<double>();
        var tvaeSeconds = new List<double>();
        for (int r = 1; r <= rounds; r++)
        {
            copulaSeconds.Add(Time(() => copula.Sample(rows, r)));
            tvaeSeconds.Add(Time(() => tvae.Sample(rows, r)));
            Console.WriteLine($"round {r}: copula {copulaSeconds[^1]:0.000} s, tvae {tvaeSeconds[^1]:0.000} s; load {File.ReadAllText("/proc/loadavg").Trim()}");
        }

        double c = Median(copulaSeconds), t = Median(tvaeSeconds);
        Console.WriteLine($"ratio: tvae / copula = {t / c:0.00} (median {t:0.000} s vs {c:0.000} s; {rows / t:N0} vs {rows / c:N0} rows/s); " +
            $"load {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
