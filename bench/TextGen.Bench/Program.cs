using System.Diagnostics;
using System.Globalization;
using Pipelines.Synthetic.Text;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string text = File.ReadAllText(FindData("moby-dick-chapters-1-7.txt"));
var rows = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
if (threads > 0)
{
    TorchSharp.torch.set_num_threads(threads);
}

if (args.Length > 0 && args[0] == "probe")
{
    var options = new TinyLmOptions { EmbeddingSize = int.Parse(args[2]), Steps = int.Parse(args[3]), BatchSize = int.Parse(args[4]), SequenceLength = int.Parse(args[5]), LearningRate = double.Parse(args[6]), ContextLength = 128 };
    var watch = Stopwatch.StartNew();
    using var model = TinyLmTrainer.Train(rows[..^40], options, 42);
    Console.WriteLine($"train {watch.Elapsed.TotalSeconds:F1}s params {model.ParameterCount} last-loss {model.LossHistory.TakeLast(10).Average():F3} heldout {model.EvaluateLoss(string.Join("\n", rows[^40..])[..4000]):F3}");
    return;
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
