namespace Pipelines.Tuning.Tests.Distributions;

public class DistributionTests
{
    [Test]
    public void A_float_step_lowers_high_to_the_last_grid_point()
    {
        var d = new FloatDistribution(0, 1, step: 0.3);
        Assert.That(d.High, Is.EqualTo(0.9).Within(1e-12));
        Assert.That(d.Contains(0.6), Is.True);
        Assert.That(d.Contains(0.5), Is.False);
    }

    [Test]
    public void An_int_step_lowers_high_to_the_last_reachable_value()
    {
        var d = new IntDistribution(1, 10, step: 4);
        Assert.That(d.High, Is.EqualTo(9));
        Assert.That(d.Contains(5), Is.True);
        Assert.That(d.Contains(6), Is.False);
    }

    [Test]
    public void Log_with_a_step_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => _ = new FloatDistribution(1, 10, log: true, step: 1));
        Assert.Throws<ArgumentException>(() => _ = new IntDistribution(1, 10, log: true, step: 2));
    }

    [Test]
    public void Unit_values_map_onto_every_int_value_evenly()
    {
        var d = new IntDistribution(0, 3);
        var hits = new int[4];
        for (int i = 0; i < 400; i++)
        {
            hits[(int)d.FromUnit((i + 0.5) / 400)]++;
        }

        Assert.That(hits, Is.EqualTo(new[] { 100, 100, 100, 100 }));
    }

    [Test]
    public void Categorical_choices_convert_between_index_and_value()
    {
        var d = new CategoricalDistribution(new object?[] { 4, "a", 0.5, null });
        Assert.That(d.ToInternal(4L), Is.EqualTo(0));
        Assert.That(d.ToInternal(4), Is.EqualTo(0));
        Assert.That(d.ToInternal("a"), Is.EqualTo(1));
        Assert.That(d.ToInternal(null), Is.EqualTo(3));
        Assert.That(d.ToExternal(2), Is.EqualTo(0.5));
        Assert.Throws<ArgumentException>(() => d.ToInternal("b"));
    }
}
