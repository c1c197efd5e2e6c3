using System.Text;
using NUnit.Framework;
using Pipelines.Core.Tables;
using YamlDotNet.RepresentationModel;

namespace Pipelines.Cli.Tests;

/// <summary>
/// Issue 13: the hostile-input corpus in <c>Hostile/corpus.yaml</c>. Each case runs the real executable and must end
/// with its exit code and one clear message, never a stack trace, within 10 s and 1 GB.
/// </summary>
[Parallelizable(ParallelScope.None)]
public class HostileCorpusTests
{
    private const long OneGigabyte = 1L << 30;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static IEnumerable<TestCaseData> Corpus()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(CliProcess.RepoRoot, "tests/Cli.Tests/Hostile/corpus.yaml")))
            stream.Load(reader);
        var cases = (YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["cases"];
        foreach (YamlMappingNode entry in cases)
        {
            string name = Text(entry, "name")!;
            var files = ((YamlMappingNode)entry["files"]).Children.ToDictionary(f => ((YamlScalarNode)f.Key).Value!, f => ((YamlScalarNode)f.Value).Value ?? "");
            string[] args = entry.Children.TryGetValue(new YamlScalarNode("args"), out var a)
                ? ((YamlSequenceNode)a).Children.Select(n => ((YamlScalarNode)n).Value!).ToArray()
                : ["run", "p.yaml"];
            yield return new TestCaseData(files, args, int.Parse(Text(entry, "exit")!, System.Globalization.CultureInfo.InvariantCulture), Text(entry, "message")!).SetName(name);
        }
    }

    [TestCaseSource(nameof(Corpus))]
    public void Each_case_ends_with_its_exit_code_and_message_without_a_stack_trace_in_bounded_time_and_memory(
        Dictionary<string, string> files, string[] args, int expectedCode, string expectedMessage)
    {
        string root = Path.Combine(Path.GetTempPath(), "pipelines-hostile", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            File.WriteAllText(Path.Combine(root, "d.csv"), "a,b\n1,x\n2,y\n");
            File.WriteAllText(Path.Combine(root, "s.yaml"), "name: s\ncolumns:\n  a: {type: int, max: 100}\n  b: string\n");
            foreach (var (name, content) in files)
            {
                string path = Path.Combine(root, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, Content(content));
            }

            var (code, output, elapsed, peak, timedOut) = CliProcess.RunBounded(root, Limit, OneGigabyte, args);
            Assert.That(timedOut, Is.False, $"ran past {Limit.TotalSeconds} s");
            Assert.That(code, Is.EqualTo(expectedCode), output);
            Assert.That(output, Does.Contain(expectedMessage));
            Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(output, Does.Not.Contain("Exception:"), "no exception type names");
            Assert.That(peak, Is.LessThan(OneGigabyte), $"peak resident memory {peak / (1 << 20)} MiB");
            TestContext.Out.WriteLine($"{elapsed.TotalSeconds:F2} s, peak {peak / (1 << 20)} MiB: {output.Trim()}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static byte[] Content(string spec) => spec switch
    {
        _ when spec.StartsWith("hex:", StringComparison.Ordinal) => Convert.FromHexString(spec[4..]),
        _ when spec.StartsWith("gen:", StringComparison.Ordinal) => Generate(spec[4..]),
        _ => Encoding.UTF8.GetBytes(spec),
    };

    /// <summary>Files too big or too binary to write in the corpus itself.</summary>
    private static byte[] Generate(string name) => name switch
    {
        "alias-bomb" => Encoding.UTF8.GetBytes(AliasBomb()),
        "deep-yaml" => Encoding.UTF8.GetBytes("name: p\nparams:\n  x: " + new string('[', 100_000) + new string(']', 100_000) + "\nstages:\n  i: {uses: ingest, inputs: {source: d.csv}}\n"),
        "deep-json" => Encoding.UTF8.GetBytes("{\"a\": " + new string('[', 100_000) + new string(']', 100_000) + "}\n"),
        "wide-csv" => Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(0, 4).Select(r => string.Join(",", Enumerable.Range(0, 10_000).Select(c => r == 0 ? $"c{c}" : $"{r * c}")))) + "\n"),
        "truncated-parquet" => FirstHalf(Parquet(1000)),
        "int-parquet" => Parquet(10),
        _ => throw new ArgumentException($"unknown generator '{name}'"),
    };

    private static string AliasBomb()
    {
        var text = new StringBuilder("name: p\nparams:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'i'; c++)
            text.Append($"  {c}: &{c} [{string.Join(", ", Enumerable.Repeat($"*{(char)(c - 1)}", 10))}]\n");
        return text.Append("stages:\n  i: {uses: ingest, inputs: {source: d.csv}}\n").ToString();
    }

    private static byte[] FirstHalf(byte[] bytes) => bytes[..(bytes.Length / 2)];

    /// <summary>A real Parquet file with one int64 column 'a'.</summary>
    private static byte[] Parquet(int rows)
    {
        string path = Path.GetTempFileName();
        try
        {
            var schema = new TableSchema([new ColumnSchema("a", ColumnType.Int64)]);
            var values = Enumerable.Range(0, rows).Select(i => (long?)i).ToArray();
            ParquetTableWriter.WriteFileAsync(path, new TableBatch(schema, values.Length, [values])).GetAwaiter().GetResult();
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
