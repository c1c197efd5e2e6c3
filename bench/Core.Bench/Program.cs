using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Hashing;
using Pipelines.Core.Running;
using Pipelines.Stages;

// Benchmarks of the core (issue: orchestrator). Usage:
//   Core.Bench noop-rerun [--stages 50] [--gb 1]     no-op rerun over 1 GB vs 1 MB of external inputs
//   Core.Bench hash [--gb 1]                         XxHash128 vs md5sum on the same file
//   Core.Bench ingest [--rows 1000000]               CSV -> Parquet: ours vs DuckDB, rows/s and peak memory (child processes)
//   Core.Bench parquet-read [--rows 1000000]         reading a DuckDB-written Parquet file: ParquetSharp (ingest's reader) vs Parquet.Net
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string verb = args.Length > 0 ? args[0] : "all";
string work = Path.Combine(Environment.GetEnvironmentVariable("BENCH_DIR") ?? Path.GetTempPath(), "pipelines-core-bench");
Directory.CreateDirectory(work);
int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

switch (verb)
{
    case "noop-rerun": await NoopRerunAsync(Arg("--stages", 50), Arg("--gb", 1)); break;
    case "hash": await HashAsync(Arg("--gb", 1)); break;
    case "ingest": await IngestAsync(Arg("--rows", 1_000_000)); break;
    case "ingest-child": await IngestChildAsync(args[1], args[2], args[3]); break;
    case "ingest-profile": await ProfileAsync(args[1]); break;
    case "parquet-read": await ParquetReadAsync(Arg("--rows", 1_000_000)); break;
    case "all":
        await NoopRerunAsync(50, 1);
        await HashAsync(1);
        await IngestAsync(1_000_000);
        break;
    default: Console.Error.WriteLine($"unknown verb {verb}"); return 2;
}
return 0;

// Interleaved A B A B ..., five of each, medians compared; the load average printed beside them.
async Task ParquetReadAsync(int rows)
{
    string path = Path.Combine(work, $"read-{rows}.parquet");
    using (var connection = new DuckDBConnection("DataSource=:memory:"))
    {
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY (SELECT i AS id, i * 0.5 AS x, CASE WHEN i % 7 = 0 THEN NULL ELSE 'name ' || (i % 1000) END AS label, " +
                              $"i % 2 = 0 AS even, TIMESTAMP '2020-01-01' + INTERVAL (i) SECOND AS at, (i % 97)::INTEGER AS code FROM range({rows}) t(i)) TO '{path}' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }
    var sharp = new List<double>();
    var net = new List<double>();
    for (int round = 0; round < 5; round++)
    {
        var clock = Stopwatch.StartNew();
        long seen = 0;
        using (var source = Pipelines.Stages.Ingest.ParquetSource.Open(path))
            await foreach (var batch in source.ReadBatchesAsync()) seen += batch.RowCount;
        sharp.Add(clock.Elapsed.TotalSeconds);
        clock.Restart();
        long seenNet = 0;
        await using (var reader = await Pipelines.Core.Tables.ParquetTableReader.OpenAsync(path))
            await foreach (var batch in reader.ReadBatchesAsync()) seenNet += batch.RowCount;
        net.Add(clock.Elapsed.TotalSeconds);
        if (seen != rows || seenNet != rows) throw new InvalidOperationException($"read {seen} and {seenNet} rows, expected {rows}");
    }
    double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
    string load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    Console.WriteLine($"## Reading {rows:N0} rows x 6 columns of DuckDB-written Parquet (5 interleaved rounds, median), load {load}");
    Console.WriteLine($"ParquetSharp (ingest): {Median(sharp):F3} s   Parquet.Net: {Median(net):F3} s   ratio ParquetSharp/Parquet.Net: {Median(sharp) / Median(net):F2}x");
}

async Task NoopRerunAsync(int stages, int gb)
{
    Console.WriteLine($"## No-op rerun of a {stages}-stage pipeline");
    foreach (long totalBytes in new[] { (long)gb << 30, 1L << 20 })
    {
        string root = Path.Combine(work, $"noop-{totalBytes}");
        if (Directory.Exists(root)) Directory.Delete(root, true);
        Directory.CreateDirectory(Path.Combine(root, "data"));
        long perFile = totalBytes / stages;
        var rng = new Random(1);
        var buffer = new byte[1 << 20];
        for (int i = 0; i < stages; i++)
        {
            using var file = File.Create(Path.Combine(root, "data", $"in{i}.bin"));
            for (long written = 0; written < perFile; written += buffer.Length)
            {
                rng.NextBytes(buffer);
                file.Write(buffer, 0, (int)Math.Min(buffer.Length, perFile - written));
            }
        }
        // A chain: stage i reads external file i and the previous stage's output.
        var yaml = new StringBuilder("name: bench\nstages:\n");
        for (int i = 0; i < stages; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  s{i}:\n    uses: {typeof(DigestStage).FullName}\n    inputs:\n      data: data/in{i}.bin\n");
            if (i > 0) yaml.Append(CultureInfo.InvariantCulture, $"      previous: s{i - 1}.digest\n");
        }
        File.WriteAllText(Path.Combine(root, "bench.yaml"), yaml.ToString());
        var registry = new StageRegistry();
        var runner = new PipelineRunner(new Workspace(root), registry);
        var clock = Stopwatch.StartNew();
        var first = await runner.RunAsync(YamlPipelineLoader.Load(Path.Combine(root, "bench.yaml")), new RunOptions { Jobs = 2 });
        double firstSeconds = clock.Elapsed.TotalSeconds;
        var times = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            clock.Restart();
            var again = await runner.RunAsync(YamlPipelineLoader.Load(Path.Combine(root, "bench.yaml")), new RunOptions { Jobs = 2 });
            times.Add(clock.Elapsed.TotalSeconds);
            if (again.Stages.Any(s => s.Status != StageStatus.Cached)) throw new InvalidOperationException("a no-op rerun ran a stage");
        }
        times.Sort();
        Console.WriteLine($"inputs {totalBytes / 1048576.0:0.#} MiB: first run {firstSeconds:0.00} s ({first.Status}); no-op rerun median {times[2] * 1000:0} ms (min {times[0] * 1000:0}, max {times[4] * 1000:0})");
        Directory.Delete(root, true);
    }
}

async Task HashAsync(int gb)
{
    Console.WriteLine("## Content hashing throughput");
    string file = Path.Combine(work, "hash.bin");
    long size = (long)gb << 30;
    if (!File.Exists(file) || new FileInfo(file).Length != size)
    {
        var rng = new Random(2);
        var buffer = new byte[1 << 20];
        using var f = File.Create(file);
        for (long w = 0; w < size; w += buffer.Length) { rng.NextBytes(buffer); f.Write(buffer); }
    }
    await ContentHasher.HashFileAsync(file); // warm the page cache and the JIT
    var ours = new List<double>();
    for (int i = 0; i < 3; i++)
    {
        var clock = Stopwatch.StartNew();
        await ContentHasher.HashFileAsync(file);
        ours.Add(clock.Elapsed.TotalSeconds);
    }
    var md5 = new List<double>();
    for (int i = 0; i < 3; i++)
    {
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(new ProcessStartInfo("md5sum", file) { RedirectStandardOutput = true })!;
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        md5.Add(clock.Elapsed.TotalSeconds);
    }
    double o = ours.Min(), m = md5.Min();
    Console.WriteLine($"file {size / 1048576} MiB (page cache warm): XxHash128 {o:0.000} s = {size / o / 1e9:0.00} GB/s; md5sum {m:0.000} s = {size / m / 1e9:0.00} GB/s; ratio {m / o:0.0}x");
    File.Delete(file);
}

async Task IngestAsync(int rows)
{
    Console.WriteLine($"## Ingest of a {rows:N0}-row, 10-column CSV to Parquet");
    string csv = Path.Combine(work, $"ingest-{rows}.csv");
    if (!File.Exists(csv))
    {
        var rng = new Random(3);
        string[] cities = ["Amsterdam", "Berlin", "Cairo", "Delhi", "Lima", "Oslo", "Quito", "Rome"];
        using var w = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 20);
        w.WriteLine("id,age,income,score,city,flag,ratio,visits,name,note");
        for (int i = 0; i < rows; i++)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{i},{rng.Next(18, 90)},{rng.Next(1000, 200000)},{rng.NextDouble() * 100:0.###},{cities[rng.Next(cities.Length)]},{(rng.Next(2) == 0 ? "true" : "false")},{rng.NextDouble():0.#####},{rng.Next(0, 50)},user{rng.Next(100000)},\"note, {i % 97}\""));
    }
    Console.WriteLine($"CSV: {new FileInfo(csv).Length / 1048576.0:0.0} MiB");
    string self = Environment.ProcessPath!;
    // Interleaved pipelines, duckdb, pipelines, duckdb ...: drift in the machine's load hits both alike (issue 17).
    var results = new Dictionary<string, List<(double Wall, double Cpu, long PeakKb)>> { ["pipelines"] = [], ["duckdb"] = [] };
    for (int round = 1; round <= 5; round++)
    {
        foreach (var engine in results.Keys)
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
            foreach (var a in new[] { "ingest-child", engine, csv, Path.Combine(work, $"out-{engine}.parquet") }) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            var parts = p.StandardOutput.ReadToEnd().Trim().Split(' ');
            p.WaitForExit();
            results[engine].Add((double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture)));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round {round}: pipelines {results["pipelines"][^1].Wall:0.00} s wall {results["pipelines"][^1].Cpu:0.00} s CPU; duckdb {results["duckdb"][^1].Wall:0.00} s wall {results["duckdb"][^1].Cpu:0.00} s CPU; load {File.ReadAllText("/proc/loadavg").Trim()}"));
    }
    static double Median(IEnumerable<double> values) { var v = values.Order().ToArray(); return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2; }
    double ourWall = Median(results["pipelines"].Select(r => r.Wall)), theirWall = Median(results["duckdb"].Select(r => r.Wall));
    double ourCpu = Median(results["pipelines"].Select(r => r.Cpu)), theirCpu = Median(results["duckdb"].Select(r => r.Cpu));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"ratio: pipelines / duckdb = {ourWall / theirWall:0.00} wall ({ourWall:0.00} s vs {theirWall:0.00} s), {ourCpu / theirCpu:0.00} CPU ({ourCpu:0.00} s vs {theirCpu:0.00} s); " +
        $"peak RSS {results["pipelines"].Max(r => r.PeakKb) / 1024.0:0} MiB vs {results["duckdb"].Max(r => r.PeakKb) / 1024.0:0} MiB; medians of 5 interleaved rounds; load {File.ReadAllText("/proc/loadavg").Trim()}"));
}

async Task IngestChildAsync(string engine, string csv, string output)
{
    var clock = Stopwatch.StartNew();
    if (engine == "duckdb")
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY (SELECT * FROM read_csv_auto('{csv}')) TO '{output}' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }
    else
    {
        string root = Path.Combine(Path.GetDirectoryName(output)!, "ingest-ws");
        if (Directory.Exists(root)) Directory.Delete(root, true);
        Directory.CreateDirectory(root);
        var definition = Pipeline.Create("ingest-bench").BaseDirectory(root).Stage("ingest", "ingest", s => s.Input("source", csv)).Build();
        var result = await new PipelineRunner(new Workspace(root), new StageRegistry().AddRange(StagesCatalog.All())).RunAsync(definition, new RunOptions { Jobs = 1 });
        if (!result.Succeeded) throw new InvalidOperationException(result.Stages[0].Error);
    }
    double seconds = clock.Elapsed.TotalSeconds;
    long peakKb = File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
    double cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds:0.000} {peakKb} {cpu:0.000}"));
}

async Task ProfileAsync(string csv)
{
    var clock = Stopwatch.StartNew();
    long cells = 0;
    using (var reader = Pipelines.Stages.Ingest.CsvRecordReader.Open(csv, ',', false))
        while (reader.Read()) cells += reader.FieldCount;
    Console.WriteLine($"tokenise only: {clock.Elapsed.TotalSeconds:0.00} s ({cells} cells)");
    clock.Restart();
    var table = await Pipelines.Core.Tables.ParquetTableReader.ReadFileAsync(Path.Combine(work, "out-pipelines.parquet"));
    Console.WriteLine($"read parquet back: {clock.Elapsed.TotalSeconds:0.00} s");
    clock.Restart();
    await Pipelines.Core.Tables.ParquetTableWriter.WriteFileAsync(Path.Combine(work, "rewrite.parquet"), table);
    Console.WriteLine($"write parquet only: {clock.Elapsed.TotalSeconds:0.00} s");
}

/// <summary>A cheap stage for the no-op benchmark: writes a digest of its input's hash (never reads the data).</summary>
public sealed class DigestStage : Stage<DigestOptions>
{
    public override string Kind => "bench-digest";
    public override IReadOnlyList<StagePort> Inputs => [new("data", ArtifactKind.File), new("previous", ArtifactKind.File, Required: false)];
    public override IReadOnlyList<StagePort> Outputs => [new("digest", ArtifactKind.File, Extension: ".txt")];
    protected override Task RunAsync(StageContext context, DigestOptions options, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(context.OutputPath("digest"), context.InputHash("data"), cancellationToken);
}

/// <summary>No options.</summary>
public sealed class DigestOptions;
