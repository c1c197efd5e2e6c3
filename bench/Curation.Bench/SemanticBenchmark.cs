using System.Diagnostics;
using System.Globalization;
using Pipelines.Stages.Dedup;

namespace Pipelines.Curation.Bench;

/// <summary>
/// Semantic dedup throughput on synthetic 384-float embeddings (the dedup itself, not the encoder): random unit
/// vectors, optionally sharing a common direction so unrelated rows sit at cos ≈ 0.2 as real sentence embeddings
/// do, plus planted neighbours at known cosines 0.9–0.99 of random rows. Reports wall time, rows/s, the LSH plan,
/// candidate pairs and the recall of the planted pairs (precision is 1 by construction: every pair is verified).
/// </summary>
internal static class SemanticBenchmark
{
    public static void Run(int rows, int threads, double threshold, double shared)
    {
        const int Dims = 384;
        int planted = rows / 100;
        var random = new Random(20261204);
        var common = Gaussian(random, Dims);
        float[] Unit()
        {
            var g = Gaussian(random, Dims);
            return SemanticDuplicateDetector.Normalize(g.Select((x, k) => (float)(x + (shared * common[k]))).ToArray());
        }

        var vectors = new List<float[]>(rows);
        for (int i = 0; i < rows - planted; i++)
        {
            vectors.Add(Unit());
        }

        var pairs = new List<(int Source, int Copy)>();
        for (int i = 0; i < planted; i++)
        {
            int source = random.Next(rows - planted);
            var s = vectors[source];
            var noise = Gaussian(random, Dims);
            double along = 0;
            for (int k = 0; k < Dims; k++)
            {
                along += s[k] * noise[k];
            }

            var orthogonal = SemanticDuplicateDetector.Normalize(noise.Select((x, k) => (float)(x - (along * s[k]))).ToArray());
            double target = 0.9 + (0.09 * random.NextDouble());
            pairs.Add((source, vectors.Count));
            vectors.Add(SemanticDuplicateDetector.Normalize(s.Select((x, k) => (float)((target * x) + (Math.Sqrt(1 - (target * target)) * orthogonal[k]))).ToArray()));
        }

        // Typical cosine of unrelated rows, from 2000 random pairs.
        double typical = Enumerable.Range(0, 2000).Select(_ => (double)SemanticDuplicateDetector.Cosine(vectors[random.Next(rows)], vectors[random.Next(rows)])).Average();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var session = new SemanticDedupSession(new SemanticDuplicateOptions { Threshold = threshold, Seed = 1, MaxDegreeOfParallelism = threads });
        session.AddRows(vectors.ToArray());
        var outcome = session.Complete();
        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        var removed = outcome.Records.ToDictionary(r => r.RemovedRow, r => r.KeptRow);
        int found = pairs.Count(p => outcome.Removed[p.Copy] || outcome.Removed[p.Source]);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"semantic dedup: rows={rows} dims={Dims} threads={threads} threshold={threshold} shared={shared} (mean cos of unrelated rows {typical:F3})"));
        Console.WriteLine(string.Create(inv, $"  lsh_bits={outcome.Within.Bits} lsh_tables={outcome.Within.Tables} candidates={outcome.Within.CandidatePairs:N0} ({outcome.Within.CandidatePairs / (rows * (rows - 1.0) / 2):P3} of all pairs) accepted={outcome.Within.Pairs.Count:N0}"));
        Console.WriteLine(string.Create(inv, $"  planted pairs {pairs.Count}: {found} found (recall {(double)found / pairs.Count:F4}); removed {outcome.Records.Count}"));
        Console.WriteLine(string.Create(inv, $"  wall {seconds:F2} s = {rows / seconds:N0} rows/s; process CPU {cpuSeconds:F2} s; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
    }

    private static double[] Gaussian(Random random, int dims)
    {
        var v = new double[dims];
        for (int k = 0; k < dims; k++)
        {
            v[k] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }

        return v;
    }
}
