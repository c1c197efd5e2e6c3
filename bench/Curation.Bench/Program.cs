using System.Diagnostics;
using System.Globalization;
using Pipelines.Stages.Bias;
using Pipelines.Stages.Dedup;

// Curation benchmarks: near and exact dedup of generated ~100-word documents with planted
// near-duplicates at known Jaccard, and the bias analysis of a table with 3 sensitive columns.
// Usage: dotnet run -c Release --project bench/Curation.Bench -- [documents=1000000] [threads=2] [fn_weight=0.5]
//        dotnet run -c Release --project bench/Curation.Bench -- semantic [rows=100000] [threads=2] [threshold=0.9] [shared=0.5]
if (args.Length > 0 && args[0] == "semantic")
{
    string At(int i, string fallback) => args.Length > i ? args[i] : fallback;
    Pipelines.Curation.Bench.SemanticBenchmark.Run(int.Parse(At(1, "100000"), CultureInfo.InvariantCulture), int.Parse(At(2, "2"), CultureInfo.InvariantCulture),
        double.Parse(At(3, "0.9"), CultureInfo.InvariantCulture), double.Parse(At(4, "0.5"), CultureInfo.InvariantCulture));
    return;
}

int documents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
double fnWeight = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0.5;
const double Threshold = 0.8;
const int Ngram = 3;

Console.WriteLine($"documents={documents} threads={threads} threshold={Threshold} ngram={Ngram} num_perm=128 fn_weight={fnWeight} cores={Environment.ProcessorCount}");
var generator = new Generator(seed: 20240601);
var sw = Stopwatch.StartNew();
var (texts, planted) = generator.Documents(documents);
Console.WriteLine($"generated in {sw.Elapsed.TotalSeconds:0.0} s: {planted.Count} planted near pairs, mean words/doc 100");

// Truth: exact Jaccard of every planted pair (same normalisation and shingling as the stage).
var shingler = new ShingleHasher(Ngram);
var truth = new Dictionary<(int, int), double>();
foreach (var (a, b) in planted)
{
    truth[(a, b)] = JaccardSimilarity.Exact(shingler.HashSet(texts[a]), shingler.HashSet(texts[b]));
}

// Exact dedup (baseline). Wall time and process CPU time: the machine is shared, so both are reported.
var process = Process.GetCurrentProcess();
TimeSpan Cpu() { process.Refresh(); return process.TotalProcessorTime; }
GC.Collect();
var cpu = Cpu();
sw.Restart();
var exact = new DedupSession(new DeduplicatorSettings { Mode = DedupMode.Exact, Near = new NearDuplicateOptions { MaxDegreeOfParallelism = threads } });
exact.AddRows([texts], texts.Length);
var exactOutcome = exact.Complete();
double exactSeconds = sw.Elapsed.TotalSeconds;
double exactCpu = (Cpu() - cpu).TotalSeconds;
Console.WriteLine($"exact: {exactSeconds:0.00} s wall, {exactCpu:0.00} s CPU; {texts.Length / exactSeconds:N0} docs/s wall, {texts.Length / exactCpu * threads:N0} docs/s on {threads} uncontended cores (CPU-time based); removed {exactOutcome.Records.Count}");

// Near dedup, end to end (normalise, exact hash, MinHash, LSH, verify, cluster).
GC.Collect();
long before = GC.GetTotalMemory(true);
cpu = Cpu();
sw.Restart();
var near = new DedupSession(new DeduplicatorSettings
{
    Near = new NearDuplicateOptions { Threshold = Threshold, NgramSize = Ngram, NumPerm = 128, Seed = 1, MaxDegreeOfParallelism = threads, FalseNegativeWeight = fnWeight, FalsePositiveWeight = 1 - fnWeight },
});
near.AddRows([texts], texts.Length);
var outcome = near.Complete();
double nearSeconds = sw.Elapsed.TotalSeconds;
double nearCpu = (Cpu() - cpu).TotalSeconds;
long peak = Process.GetCurrentProcess().PeakWorkingSet64;
Console.WriteLine($"near: {nearSeconds:0.00} s wall, {nearCpu:0.00} s CPU; {texts.Length / nearSeconds:N0} docs/s wall, {texts.Length / nearCpu * threads:N0} docs/s on {threads} uncontended cores; bands={outcome.Within!.Lsh.Bands} rows={outcome.Within.Lsh.Rows}, candidates={outcome.Within.CandidatePairs}, rejected={outcome.Within.RejectedByVerification}, removed={outcome.Records.Count}");
Console.WriteLine($"memory: process peak working set {peak / 1e6:N0} MB; managed heap before near run {before / 1e6:N0} MB (texts ≈ {texts.Sum(t => (long)t.Length) * 2 / 1e6:N0} MB)");

// Recall over planted pairs with J ≥ threshold + 0.05: both rows in one cluster.
var clusterOf = new Dictionary<int, long>();
foreach (var c in outcome.Clusters)
{
    foreach (int r in c.Rows)
    {
        clusterOf[r] = c.Id;
    }
}

var eligible = truth.Where(kv => kv.Value >= Threshold + 0.05).ToArray();
int found = eligible.Count(kv => clusterOf.TryGetValue(kv.Key.Item1, out long x) && clusterOf.TryGetValue(kv.Key.Item2, out long y) && x == y);
Console.WriteLine($"recall (planted pairs with J >= {Threshold + 0.05:0.00}): {found}/{eligible.Length} = {(double)found / eligible.Length:0.0000}");
foreach (var bucket in new[] { (0.80, 0.85), (0.85, 0.90), (0.90, 0.95), (0.95, 1.01) })
{
    var inBucket = truth.Where(kv => kv.Value >= bucket.Item1 && kv.Value < bucket.Item2).ToArray();
    int hit = inBucket.Count(kv => clusterOf.TryGetValue(kv.Key.Item1, out long x) && clusterOf.TryGetValue(kv.Key.Item2, out long y) && x == y);
    Console.WriteLine($"  J in [{bucket.Item1:0.00}, {Math.Min(1, bucket.Item2):0.00}): {hit}/{inBucket.Length}");
}

// Precision: accepted pairs whose true Jaccard (recomputed independently) reaches the threshold.
int truePositive = 0;
foreach (var pair in outcome.NearPairs)
{
    double j = JaccardSimilarity.Exact(shingler.HashSet(texts[pair.First]), shingler.HashSet(texts[pair.Second]));
    if (j >= Threshold)
    {
        truePositive++;
    }
}

Console.WriteLine($"precision (accepted pairs with true J >= {Threshold}): {truePositive}/{outcome.NearPairs.Count} = {(double)truePositive / Math.Max(1, outcome.NearPairs.Count):0.0000}");

// Bias: rows with 3 sensitive columns (sex, race, age binned) and a label that depends on sex.
var (labels, sex, race, age) = generator.BiasTable(documents);
GC.Collect();
cpu = Cpu();
sw.Restart();
var binner = new NumericBinner([25, 45, 65]);
var ageGroups = new string?[age.Length];
for (int i = 0; i < age.Length; i++)
{
    ageGroups[i] = binner.Bin(age[i]);
}

var analysis = BiasAnalyzer.Analyze(
    new BiasData { Labels = labels, Attributes = [new SensitiveAttribute("sex", sex), new SensitiveAttribute("race", race), new SensitiveAttribute("age", ageGroups)] },
    new BiasSettings { PositiveLabel = "1", Bootstrap = 0, Thresholds = new BiasThresholds { DisparateImpactMin = 0.8 } });
double biasSeconds = sw.Elapsed.TotalSeconds;
double biasCpu = (Cpu() - cpu).TotalSeconds;
Console.WriteLine($"bias: {biasSeconds:0.00} s wall, {biasCpu:0.00} s CPU; {labels.Length / biasSeconds:N0} rows/s wall, {analysis.Metrics.Count} metrics, DI(sex)={analysis.Get("sex", "*", "disparate_impact"):0.000}");

/// <summary>Seeded generator of documents with planted near-duplicates.</summary>
internal sealed class Generator(ulong seed)
{
    private ulong _state = seed;
    private readonly string[] _vocabulary = BuildVocabulary(seed);

    public (string[] Texts, List<(int, int)> Planted) Documents(int count)
    {
        var texts = new string[count];
        var planted = new List<(int, int)>();
        var words = new string[110];
        for (int i = 0; i < count; i++)
        {
            ulong roll = Next() % 100;
            if (i > 1000 && roll < 10)
            {
                // Near copy of an earlier original: 1–8 random words substituted.
                int source = (int)(Next() % (ulong)(i - 1));
                if (texts[source].Length > 0)
                {
                    var copy = texts[source].Split(' ');
                    int edits = 1 + (int)(Next() % 8);
                    for (int e = 0; e < edits; e++)
                    {
                        copy[Next() % (ulong)copy.Length] = _vocabulary[Next() % (ulong)_vocabulary.Length];
                    }

                    texts[i] = string.Join(' ', copy);
                    planted.Add((source, i));
                    continue;
                }
            }

            if (i > 1000 && roll < 12)
            {
                texts[i] = texts[(int)(Next() % (ulong)(i - 1))]; // exact copy
                continue;
            }

            int length = 90 + (int)(Next() % 21);
            for (int w = 0; w < length; w++)
            {
                words[w] = _vocabulary[Next() % (ulong)_vocabulary.Length];
            }

            texts[i] = string.Join(' ', words, 0, length);
        }

        return (texts, planted);
    }

    public (string?[] Labels, string?[] Sex, string?[] Race, double?[] Age) BiasTable(int count)
    {
        string[] races = ["white", "black", "asian", "amer-indian", "other"];
        var labels = new string?[count];
        var sex = new string?[count];
        var race = new string?[count];
        var age = new double?[count];
        for (int i = 0; i < count; i++)
        {
            bool female = Next() % 3 == 0;
            sex[i] = female ? "female" : "male";
            race[i] = races[Next() % 100 < 80 ? 0 : 1 + (int)(Next() % 4)];
            age[i] = 18 + (Next() % 60);
            labels[i] = Next() % 100 < (female ? 11UL : 30UL) ? "1" : "0";
        }

        return (labels, sex, race, age);
    }

    private ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static string[] BuildVocabulary(ulong seed)
    {
        var g = new Generator2(seed ^ 0xABCDEF);
        var words = new string[50_000];
        var chars = new char[10];
        for (int i = 0; i < words.Length; i++)
        {
            int length = 3 + (int)(g.Next() % 7);
            for (int c = 0; c < length; c++)
            {
                chars[c] = (char)('a' + (int)(g.Next() % 26));
            }

            words[i] = new string(chars, 0, length);
        }

        return words;
    }

    private sealed class Generator2(ulong state)
    {
        public ulong Next()
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
