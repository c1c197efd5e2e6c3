using System.Text.Json.Nodes;

namespace Pipelines.Tuning.Tests.Configuration;

public class PrunerFactoryTests
{
    [Test]
    public void A_name_or_a_map_selects_the_pruner_and_its_options()
    {
        Assert.That(PrunerFactory.Create(null), Is.TypeOf<NopPruner>());
        var median = (MedianPruner)PrunerFactory.Create(JsonNode.Parse("""{"type": "median", "n_warmup_steps": 3}"""));
        Assert.That(median.NWarmupSteps, Is.EqualTo(3));
        Assert.That(median.Percentile, Is.EqualTo(50));
        var p = (PercentilePruner)PrunerFactory.Create(JsonNode.Parse("""{"type": "percentile", "percentile": 25}"""));
        Assert.That(p.Percentile, Is.EqualTo(25));
        var sh = (SuccessiveHalvingPruner)PrunerFactory.Create(JsonValue.Create("successive_halving"));
        Assert.That(sh.ReductionFactor, Is.EqualTo(4));
        var hb = (HyperbandPruner)PrunerFactory.Create(JsonNode.Parse("""{"type": "hyperband", "max_resource": 27}"""));
        Assert.That(hb.BracketCount, Is.EqualTo(4));
    }

    [TestCase("\"early\"", "unknown pruner 'early'")]
    [TestCase("\"hyperband\"", "pruner.max_resource is required")]
    [TestCase("\"percentile\"", "pruner.percentile is required")]
    [TestCase("""{"type": "percentile", "percentile": 150}""", "percentile must be between 0 and 100, but got 150")]
    [TestCase("""{"type": "median", "warmup": 2}""", "unknown option 'warmup' for median")]
    public void Bad_pruner_configuration_is_a_clear_error(string json, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => PrunerFactory.Create(JsonNode.Parse(json)));
        Assert.That(ex!.Message, Does.StartWith("pruner"));
        Assert.That(ex.Message, Does.Contain(message));
    }
}
