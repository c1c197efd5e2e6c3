using NUnit.Framework;
using Pipelines.Synthetic.Onnx;
using Pipelines.Synthetic.Text;

namespace Pipelines.Synthetic.Tests.Text;

public sealed class OnnxCausalLmGeneratorTests
{
    private static readonly string[] Prompts = ["Call me Ishmael. Some years", "The whale", "It is a way I have of", "Queequeg"];

    private static OnnxCausalLmGenerator Generator() => new(TrainedModelFixture.Onnx, TrainedModelFixture.Model.Tokenizer);

    private static TextGenerationOptions Greedy(bool useKvCache = true, int batchSize = 8) => new()
    {
        MaxNewTokens = 24,
        Temperature = 0,
        UseKvCache = useKvCache,
        BatchSize = batchSize,
    };

    private static TextGenerationOptions Sampling(int batchSize = 8) => new()
    {
        MaxNewTokens = 24,
        Temperature = 0.9,
        TopK = 20,
        TopP = 0.95,
        BatchSize = batchSize,
    };

    [Test]
    public void The_generator_detects_the_key_value_cache_position_ids_and_context_length()
    {
        using var generator = Generator();

        Assert.That(generator.HasKvCache, Is.True);
        Assert.That(generator.HasPositionIds, Is.True);
        Assert.That(generator.ContextLength, Is.EqualTo(128));
    }

    [Test]
    public void Greedy_output_with_the_key_value_cache_equals_output_without_it()
    {
        using var generator = Generator();

        var cached = generator.Generate(Prompts, Greedy(useKvCache: true), 1);
        var refed = generator.Generate(Prompts, Greedy(useKvCache: false), 1);

        Assert.That(cached, Is.EqualTo(refed));
        Assert.That(cached.All(t => t.Length == 24), Is.True, string.Join(" | ", cached));
    }

    [Test]
    public void A_model_exported_without_a_cache_is_re_fed_and_gives_the_same_greedy_text()
    {
        using var withCache = Generator();
        using var withoutCache = new OnnxCausalLmGenerator(TrainedModelFixture.Model.ExportOnnx(withKvCache: false), TrainedModelFixture.Model.Tokenizer);

        Assert.That(withoutCache.HasKvCache, Is.False);
        Assert.That(withoutCache.Generate(Prompts, Greedy(), 1), Is.EqualTo(withCache.Generate(Prompts, Greedy(), 1)));
    }

    [Test]
    public void Batched_prompts_give_the_same_text_as_one_by_one()
    {
        using var generator = Generator();

        var batched = generator.Generate(Prompts, Greedy(batchSize: 4), 1);
        var single = Prompts.Select(p => generator.Generate([p], Greedy(batchSize: 1), 1)[0]).ToList();

        Assert.That(batched, Is.EqualTo(single));
    }

    [Test]
    public void Sampled_text_does_not_depend_on_the_batch_size()
    {
        using var generator = Generator();

        Assert.That(generator.Generate(Prompts, Sampling(batchSize: 3), 5), Is.EqualTo(generator.Generate(Prompts, Sampling(batchSize: 1), 5)));
    }

    [Test]
    public void The_same_seed_gives_the_same_text_and_another_seed_gives_different_text()
    {
        using var generator = Generator();

        var first = generator.Generate(Prompts, Sampling(), 11);
        var again = generator.Generate(Prompts, Sampling(), 11);
        var other = generator.Generate(Prompts, Sampling(), 12);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void Top_k_of_one_samples_exactly_the_greedy_text()
    {
        using var generator = Generator();
        var topOne = new TextGenerationOptions { MaxNewTokens = 24, Temperature = 1.5, TopK = 1 };

        Assert.That(generator.Generate(Prompts, topOne, 3), Is.EqualTo(generator.Generate(Prompts, Greedy(), 3)));
    }

    [Test]
    public void Generation_stops_at_the_first_stop_string_and_leaves_it_out()
    {
        using var generator = Generator();
        var free = generator.Generate(Prompts, Greedy(), 1);
        var stop = free[0].Substring(3, 2);
        var options = Greedy();
        options.StopStrings = [stop];

        var stopped = generator.Generate(Prompts, options, 1);

        Assert.That(stopped[0], Is.EqualTo(free[0][..free[0].IndexOf(stop, StringComparison.Ordinal)]));
        for (int i = 0; i < Prompts.Length; i++)
        {
            int at = free[i].IndexOf(stop, StringComparison.Ordinal);
            Assert.That(stopped[i], Is.EqualTo(at >= 0 ? free[i][..at] : free[i]));
        }
    }

    [Test]
    public void An_empty_prompt_starts_a_new_text_from_the_end_of_text_token()
    {
        using var generator = Generator();

        var texts = generator.Generate([string.Empty], Greedy(), 1);

        Assert.That(texts[0], Is.Not.Empty);
    }

    [Test]
    public void A_prompt_longer_than_the_context_keeps_its_last_characters()
    {
        using var generator = Generator();
        string tail = "It is a way I have of";
        string longPrompt = new string('x', 300) + tail;

        var fromLong = generator.Generate([longPrompt], Greedy(), 1);
        var fromTail = generator.Generate([longPrompt[^(128 - 24)..]], Greedy(), 1);

        Assert.That(fromLong, Is.EqualTo(fromTail));
        Assert.That(fromLong[0], Has.Length.EqualTo(24));
    }

    [Test]
    public void Max_new_tokens_that_leave_no_room_for_a_prompt_are_rejected()
    {
        using var generator = Generator();

        var ex = Assert.Throws<ArgumentException>(() => generator.Generate(Prompts, new TextGenerationOptions { MaxNewTokens = 128 }, 1));

        Assert.That(ex!.Message, Does.Contain("'max_new_tokens' must be below the model's context length (128) to leave room for the prompt. You entered 128."));
    }

    [Test]
    public void Invalid_decoding_options_are_reported_together()
    {
        using var generator = Generator();
        var options = new TextGenerationOptions { Temperature = -1, TopP = 0, TopK = -2, StopStrings = [string.Empty] };

        var ex = Assert.Throws<ArgumentException>(() => generator.Generate(Prompts, options, 1));

        Assert.That(ex!.Message, Does.Contain("'temperature' must be 0 (greedy) or positive. You entered -1."));
        Assert.That(ex.Message, Does.Contain("'top_p' must be greater than 0 and at most 1. You entered 0."));
        Assert.That(ex.Message, Does.Contain("'top_k' must be 0 (off) or positive. You entered -2."));
        Assert.That(ex.Message, Does.Contain("'stop_strings' must not contain an empty string."));
    }

    [Test]
    public void A_model_without_input_ids_is_rejected_with_its_inputs_listed()
    {
        var b = new OnnxGraphBuilder();
        b.Output(b.Relu(b.Input("features", OnnxElementType.Float, "batch", 4)), "logits", OnnxElementType.Float, "batch", 4);

        var ex = Assert.Throws<InvalidDataException>(() => new OnnxCausalLmGenerator(b.ToBytes(), TrainedModelFixture.Model.Tokenizer));

        Assert.That(ex!.Message, Does.Contain("has no 'input_ids' input").And.Contain("features"));
    }

    [Test]
    public void A_saved_model_directory_loads_with_its_character_tokenizer()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"tiny-lm-{Environment.ProcessId}");
        try
        {
            TrainedModelFixture.Model.Save(directory);
            using var loaded = OnnxCausalLmGenerator.Load(directory);
            using var inMemory = Generator();

            Assert.That(loaded.Tokenizer.VocabularySize, Is.EqualTo(TrainedModelFixture.Model.Tokenizer.VocabularySize));
            Assert.That(loaded.Generate(Prompts, Greedy(), 1), Is.EqualTo(inMemory.Generate(Prompts, Greedy(), 1)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
