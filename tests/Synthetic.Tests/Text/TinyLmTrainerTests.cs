using NUnit.Framework;
using Pipelines.Synthetic.Text;

namespace Pipelines.Synthetic.Tests.Text;

public sealed class TinyLmTrainerTests
{
    [Test]
    public void A_model_trained_for_a_few_seconds_predicts_held_out_text_better_than_character_frequencies_do()
    {
        var model = TrainedModelFixture.Model;
        string heldOut = TestDataFiles.MobyDick().HeldOut;

        double chance = Math.Log(model.Tokenizer.VocabularySize);
        double unigram = heldOut.GroupBy(c => c).Sum(g => -(g.Count() / (double)heldOut.Length) * Math.Log(g.Count() / (double)heldOut.Length));
        double loss = model.EvaluateLoss(heldOut);

        TestContext.Out.WriteLine($"held-out {loss:F3} nats/char; unigram entropy {unigram:F3}; uniform {chance:F3}; trained in {TrainedModelFixture.TrainingTime.TotalSeconds:F1} s");
        Assert.That(loss, Is.LessThan(unigram - 0.3));
        Assert.That(loss, Is.LessThan(0.65 * chance));
        Assert.That(model.LossHistory[^1], Is.LessThan(model.LossHistory[0] - 1.0));
    }

    [Test]
    public void The_same_texts_options_and_seed_give_identical_weights_and_another_seed_does_not()
    {
        string[] texts = ["Call me Ishmael.", "Some years ago, never mind how long precisely."];
        var options = new TinyLmOptions { EmbeddingSize = 16, Heads = 2, Layers = 1, ContextLength = 16, SequenceLength = 8, BatchSize = 4, Steps = 5 };

        using var a = TinyLmTrainer.Train(texts, options, 7);
        using var b = TinyLmTrainer.Train(texts, options, 7);
        using var c = TinyLmTrainer.Train(texts, options, 8);

        Assert.That(a.ExportOnnx(), Is.EqualTo(b.ExportOnnx()));
        Assert.That(a.LossHistory, Is.EqualTo(b.LossHistory));
        Assert.That(a.ExportOnnx(), Is.Not.EqualTo(c.ExportOnnx()));
    }

    [Test]
    public void Heads_that_do_not_divide_the_embedding_size_are_rejected_with_both_values()
    {
        var options = new TinyLmOptions { EmbeddingSize = 30, Heads = 4 };

        var ex = Assert.Throws<ArgumentException>(() => TinyLmTrainer.Train(["some text"], options, 1));

        Assert.That(ex!.Message, Does.Contain("'heads' must divide 'embedding_size' (30). You entered 4."));
    }

    [Test]
    public void Several_bad_options_are_reported_together()
    {
        var options = new TinyLmOptions { Steps = -1, LearningRate = 0, SequenceLength = 500, ContextLength = 100 };

        var ex = Assert.Throws<ArgumentException>(() => TinyLmTrainer.Train(["some text"], options, 1));

        Assert.That(ex!.Message, Does.Contain("'steps' must be at least 0. You entered -1."));
        Assert.That(ex.Message, Does.Contain("'learning_rate' must be greater than 0"));
        Assert.That(ex.Message, Does.Contain("'sequence_length' must be at most 'context_length' (100). You entered 500."));
    }

    [Test]
    public void A_column_of_only_empty_and_null_texts_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => TinyLmTrainer.Train([null, string.Empty], new TinyLmOptions(), 1));

        Assert.That(ex!.Message, Does.Contain("The training text is empty"));
    }
}
