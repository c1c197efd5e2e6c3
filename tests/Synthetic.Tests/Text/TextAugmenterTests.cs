using NUnit.Framework;
using Pipelines.Synthetic.Text;

namespace Pipelines.Synthetic.Tests.Text;

public sealed class TextAugmenterTests
{
    private static readonly IReadOnlyList<IReadOnlyDictionary<string, string?>> Rows =
    [
        new Dictionary<string, string?> { ["label"] = "whale", ["text"] = "The sea was calm" },
        new Dictionary<string, string?> { ["label"] = "ship", ["text"] = "Call me Ishmael" },
        new Dictionary<string, string?> { ["label"] = "inn", ["text"] = null },
    ];

    [Test]
    public async Task One_text_per_row_is_generated_and_the_same_seed_repeats_it()
    {
        using var generator = new OnnxCausalLmGenerator(TrainedModelFixture.Onnx, TrainedModelFixture.Model.Tokenizer);
        var options = new TextGenerationOptions { MaxNewTokens = 16, Temperature = 0.8, TopK = 10 };

        var first = await TextAugmenter.GenerateAsync(generator, Rows, "A {label}: {text}", options, 9);
        var again = await TextAugmenter.GenerateAsync(generator, Rows, "A {label}: {text}", options, 9);

        Assert.That(first, Has.Count.EqualTo(3));
        Assert.That(again, Is.EqualTo(first));
        Assert.That(first.All(t => t.Length is > 0 and <= 16), Is.True);
    }

    [Test]
    public async Task Each_row_is_continued_from_its_own_filled_prompt()
    {
        using var generator = new OnnxCausalLmGenerator(TrainedModelFixture.Onnx, TrainedModelFixture.Model.Tokenizer);
        var options = new TextGenerationOptions { MaxNewTokens = 16, Temperature = 0 };

        var texts = await TextAugmenter.GenerateAsync(generator, Rows, "A {label}: {text}", options, 1);
        var direct = generator.Generate(["A whale: The sea was calm", "A ship: Call me Ishmael", "A inn: "], options, 1);

        Assert.That(texts, Is.EqualTo(direct));
    }

    [Test]
    public void An_unknown_placeholder_fails_before_any_generation_and_names_the_row()
    {
        using var generator = new OnnxCausalLmGenerator(TrainedModelFixture.Onnx, TrainedModelFixture.Model.Tokenizer);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => TextAugmenter.GenerateAsync(generator, Rows, "Rewrite this {category}", new TextGenerationOptions(), 1));

        Assert.That(ex!.Message, Does.Contain("Row 0 has no column 'category'"));
    }

    [Test]
    public async Task A_model_is_trained_saved_and_used_without_any_download()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"text-lm-{Environment.ProcessId}");
        try
        {
            var training = new TinyLmOptions { EmbeddingSize = 16, Heads = 2, Layers = 1, ContextLength = 64, SequenceLength = 16, BatchSize = 8, Steps = 20 };
            var generation = new TextGenerationOptions { MaxNewTokens = 8, Temperature = 0 };

            var texts = await TextAugmenter.TrainAndGenerateAsync(
                TrainedModelFixture.Paragraphs(TestDataFiles.MobyDick().Training).Take(50), directory, Rows, "{text}", training, generation, 4);

            Assert.That(File.Exists(Path.Combine(directory, OnnxCausalLmGenerator.ModelFileName)), Is.True);
            Assert.That(File.Exists(Path.Combine(directory, CharTokenizer.FileName)), Is.True);
            Assert.That(texts, Has.Count.EqualTo(3));
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
