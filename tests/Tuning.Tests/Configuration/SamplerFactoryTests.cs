using System.Text.Json.Nodes;

namespace Pipelines.Tuning.Tests.Configuration;

public class SamplerFactoryTests
{
    [Test]
    public void A_name_or_a_map_selects_the_sampler_and_its_options()
    {
        Assert.That(SamplerFactory.Create(null, 1), Is.TypeOf<TpeSampler>());
        Assert.That(SamplerFactory.Create(JsonValue.Create("random"), 1), Is.TypeOf<RandomSampler>());
        Assert.That(SamplerFactory.Create(JsonValue.Create("gp"), 1), Is.TypeOf<GpSampler>());

        var tpe = (TpeSampler)SamplerFactory.Create(JsonNode.Parse("""{"type": "tpe", "multivariate": true, "n_startup_trials": 20, "startup": "lhs"}"""), 1);
        Assert.That(tpe.Options.Multivariate, Is.True);
        Assert.That(tpe.Options.NStartupTrials, Is.EqualTo(20));
        Assert.That(tpe.Options.StartupSampler, Is.TypeOf<LatinHypercubeSampler>());
        Assert.That(((LatinHypercubeSampler)tpe.Options.StartupSampler!).SampleCount, Is.EqualTo(20));
    }

    [Test]
    public void A_grid_sampler_reads_its_values()
    {
        var grid = (GridSampler)SamplerFactory.Create(JsonNode.Parse("""{"type": "grid", "values": {"lr": [0.1, 0.01], "rank": [4, 8, 16]}}"""), 1);
        Assert.That(grid.GridSize, Is.EqualTo(6));
    }

    [TestCase("\"bayes\"", "unknown sampler 'bayes'")]
    [TestCase("""{"type": "tpe", "n_startup": 3}""", "unknown option 'n_startup' for tpe")]
    [TestCase("""{"type": "tpe", "n_ei_candidates": 0}""", "sampler.n_ei_candidates must be an integer of at least 1, but got 0")]
    [TestCase("""{"type": "tpe", "group": true}""", "group needs multivariate")]
    [TestCase("""{"type": "tpe", "startup": "sobol"}""", "sampler.startup: expected random or lhs")]
    [TestCase("""{"multivariate": true}""", "give 'type'")]
    [TestCase("""{"type": "grid"}""", "sampler.values")]
    public void Bad_sampler_configuration_is_a_clear_error(string json, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => SamplerFactory.Create(JsonNode.Parse(json), 1));
        Assert.That(ex!.Message, Does.StartWith("sampler"));
        Assert.That(ex.Message, Does.Contain(message));
    }
}
