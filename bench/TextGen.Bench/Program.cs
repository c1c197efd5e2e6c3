using System.Diagnostics;
using System.Globalization;
using Pipelines.Synthetic.Text;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string text = File.ReadAllText(FindData("moby-dick-chapters-1-7.txt"));
var rows = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
// Default: the tokens/s benchmark. Trains the tiny model once (seeded), then times generation.
int contextLength = 256, newTokens = 128, prompts = 8;
var trainOptions = new TinyLmOptions { EmbeddingSize = 64, Layers = 2, Heads = 4, ContextLength = contextLength, SequenceLength = 64, BatchSize = 16, Steps = 300, LearningRate = 5e-3 };
var trainWatch = Stopwatch.StartNew();
using var lm = TinyLmTrainer.Train(rows, trainOptions, 42);
trainWatch.Stop();
Console.WriteLine($"model: {lm.ParameterCount} parameters, d=64, 2 layers, 4 heads, context {contextLength}, vocab {lm.Tokenizer.VocabularySize}; trained {trainOptions.Steps} steps in {trainWatch.Elapsed.TotalSeconds:F1} s, final loss {lm.LossHistory.TakeLast(20).Average():F3}");
using var generator = new OnnxCausalLmGenerator(lm.ExportOnnx(), lm.Tokenizer);
string[] starts = ["Call me Ishmael.", "The whale", "It was a dark night", "Queequeg", "Upon the sea", "I stood", "The harpooneer", "Nantucket"];
Console.WriteLine($"sample: \"{starts[0]}\" -> \"{generator.Generate([starts[0]], new TextGenerationOptions { MaxNewTokens = 80, Temperature = 0.8, TopK = 20 }, 1)[0].ReplaceLineEndings(" ")}\"");
Console.WriteLine();
Console.WriteLine("| batch | KV cache | new tokens per prompt | prompts | tokens/s | ms per step |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (int batch in new[] { 1, 8 })
{
    foreach (bool cache in new[] { true, false })
    {
        var options = new TextGenerationOptions { MaxNewTokens = newTokens, Temperature = 0.8, TopK = 20, BatchSize = batch, UseKvCache = cache };
        string[] input = [.. Enumerable.Range(0, prompts).Select(i => starts[i % starts.Length])];
        generator.Generate(input[..batch], options, 0); // warm-up
        var watch = Stopwatch.StartNew();
        var output = generator.Generate(input, options, 7);
        watch.Stop();
        long tokens = output.Sum(o => (long)o.Length);
        int steps = prompts / batch * newTokens;
        Console.WriteLine($"| {batch} | {(cache ? "yes" : "no")} | {newTokens} | {prompts} | {tokens / watch.Elapsed.TotalSeconds:F0} | {watch.Elapsed.TotalMilliseconds / steps:F2} |");
    }
}

static string FindData(string name)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        string candidate = Path.Combine(dir.FullName, "tests/Synthetic.Tests/Text/TestData", name);
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new FileNotFoundException(name);
}
