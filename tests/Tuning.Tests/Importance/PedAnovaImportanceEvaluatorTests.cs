namespace Pipelines.Tuning.Tests.Importance;

public class PedAnovaImportanceEvaluatorTests
{
    private static async Task<Study> RandomStudy(Func<Trial, double> objective, int trials = 200, long seed = 3)
    {
        var study = Study.Create("imp", sampler: new RandomSampler(seed));
        await study.OptimizeAsync(objective, nTrials: trials);
        return study;
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task When_only_one_parameter_matters_it_gets_almost_all_the_importance(long seed)
    {
        var study = await RandomStudy(
            t =>
            {
                double x = t.SuggestFloat("x", 0, 1);
                t.SuggestFloat("y", 0, 1);
                t.SuggestInt("n", 1, 8);
                t.SuggestCategorical("kind", new[] { "a", "b", "c" });
                return (x - 0.3) * (x - 0.3);
            },
            seed: seed);

        var importances = new PedAnovaImportanceEvaluator().Evaluate(study);

        Assert.That(importances[0].Name, Is.EqualTo("x"));
        Assert.That(importances[0].Importance, Is.GreaterThan(0.7));
        Assert.That(importances.Sum(i => i.Importance), Is.EqualTo(1).Within(1e-9));
        Assert.That(importances.Skip(1).Select(i => i.Importance), Has.All.LessThan(0.15));
    }

    [Test]
    public async Task A_categorical_parameter_that_decides_the_value_ranks_first()
    {
        var study = await RandomStudy(t =>
        {
            string kind = t.SuggestCategorical("kind", new[] { "good", "bad", "worse", "worst" });
            double noise = t.SuggestFloat("noise", 0, 1);
            return (kind == "good" ? 0 : 1) + (0.01 * noise);
        });

        var importances = new PedAnovaImportanceEvaluator().Evaluate(study);
        Assert.That(importances.Select(i => i.Name), Is.EqualTo(new[] { "kind", "noise" }));
        Assert.That(importances[0].Importance, Is.GreaterThan(0.8));
    }

    [Test]
    public void Too_few_trials_give_no_importances()
    {
        var study = Study.Create("imp", sampler: new RandomSampler(1));
        study.Tell(study.Ask(new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 1) }), 1);
        Assert.That(new PedAnovaImportanceEvaluator().Evaluate(study), Is.Empty);
    }

    [Test]
    public void Quantiles_out_of_range_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => _ = new PedAnovaImportanceEvaluator(targetQuantile: 0));
        Assert.Throws<ArgumentException>(() => _ = new PedAnovaImportanceEvaluator(targetQuantile: 0.5, regionQuantile: 0.4));
    }
}
