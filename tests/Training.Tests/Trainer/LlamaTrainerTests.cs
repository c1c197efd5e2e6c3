using NUnit.Framework;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

public class LlamaTrainerTests
{
    [Test]
    public void Lora_training_of_a_llama_model_lowers_the_loss_and_the_same_seed_repeats_it_exactly()
    {
        var first = TrainLora(seed: 5);
        var second = TrainLora(seed: 5);
        var other = TrainLora(seed: 6);
        var losses = first.Steps.Select(s => s.Loss).ToArray();
        Assert.That(second.Steps.Select(s => s.Loss).ToArray(), Is.EqualTo(losses));
        Assert.That(other.Steps.Select(s => s.Loss).ToArray(), Is.Not.EqualTo(losses));
        Assert.That(losses.TakeLast(3).Average(), Is.LessThan(losses.Take(3).Average() * 0.8));
        Assert.That(first.Evaluations[^1].Loss, Is.LessThan(first.Evaluations[0].Loss));
        Assert.That((double)first.TrainableParameters / first.TotalParameters, Is.LessThan(0.2));
    }

    [Test]
    public void A_llama_classifier_trains_through_the_same_trainer()
    {
        manual_seed(3);
        using var model = new LlamaClassifier(TinyLlama.Config(), 2);
        LoraInjection.Inject(model, new LoraOptions { Rank = 4, Dropout = 0, TargetModules = ["q_proj", "v_proj"] });
        model.Score.weight!.requires_grad = true;
        // The label is whether the sequence starts with an even token.
        var rows = Enumerable.Range(0, 16).Select(i => new TrainingExample([2 + i % 8, 10 + i % 5, 20 + i % 3], Label: i % 2)).ToList();
        var trainer = new Trainer(model, new TrainerOptions { LearningRate = 5e-2, MaxSteps = 25, MaxBatchSize = 8, EvalEvery = 25, Seed = 3 }, CPU, padId: 0);
        var result = trainer.Train(rows, rows);
        Assert.That(result.Steps[^1].Loss, Is.LessThan(result.Steps[0].Loss));
        Assert.That(result.Evaluations[^1].Accuracy, Is.GreaterThan(0.5));
    }

    private static TrainingResult TrainLora(long seed)
    {
        // A base with weights of a trained model's scale (a fresh 0.02-std init has near-constant logits a small adapter cannot move far).
        var dir = Directory.CreateTempSubdirectory("llama-train-").FullName;
        try
        {
            TinyLlama.WriteDirectory(dir, TinyLlama.Weights(13), TinyLlama.ConfigJson());
            manual_seed(seed);
            using var model = (LlamaLanguageModel)ModelDirectory.LoadCausalLanguageModel(dir);
            LoraInjection.Inject(model, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0.1, TargetModules = ["q_proj", "v_proj", "down_proj"] });
            var trainer = new Trainer(model, new TrainerOptions
            {
                LearningRate = 3e-2, MaxSteps = 16, WarmupSteps = 2, MaxBatchSize = 2, EvalEvery = 8, Seed = seed,
            }, CPU, padId: 0);
            return trainer.Train(TrainerTests.Sequences(), TrainerTests.Sequences().Take(2).ToList());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
