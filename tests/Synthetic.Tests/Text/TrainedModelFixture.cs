using System.Diagnostics;
using Pipelines.Synthetic.Text;

namespace Pipelines.Synthetic.Tests.Text;

/// <summary>One tiny model trained once per test run on Moby-Dick chapters 1-6 and shared by the text tests.</summary>
internal static class TrainedModelFixture
{
    public const long Seed = 42;

    private static readonly Lazy<(TinyLm Model, byte[] Onnx, TimeSpan TrainingTime)> Trained = new(() =>
    {
        var (training, _) = TestDataFiles.MobyDick();
        var watch = Stopwatch.StartNew();
        var model = TinyLmTrainer.Train(Paragraphs(training), Options, Seed);
        watch.Stop();
        return (model, model.ExportOnnx(), watch.Elapsed);
    });

    public static TinyLmOptions Options => new()
    {
        EmbeddingSize = 48,
        Layers = 2,
        Heads = 4,
        ContextLength = 128,
        SequenceLength = 64,
        BatchSize = 16,
        Steps = 250,
        LearningRate = 1e-2,
    };

    public static TinyLm Model => Trained.Value.Model;

    public static byte[] Onnx => Trained.Value.Onnx;

    public static TimeSpan TrainingTime => Trained.Value.TrainingTime;

    /// <summary>The text split into paragraphs: one training row each, like a text column.</summary>
    public static IEnumerable<string> Paragraphs(string text)
        => text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
