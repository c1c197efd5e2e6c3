namespace Pipelines.Tuning.Tests.Samplers;

public class LatinHypercubeSamplerTests
{
    [Test]
    public async Task Each_block_puts_one_value_in_every_stratum_of_every_parameter()
    {
        var study = Study.Create("lhs", sampler: new LatinHypercubeSampler(10, seed: 4));
        await study.OptimizeAsync(t => t.SuggestFloat("x", 0, 1) + t.SuggestFloat("y", 0, 100), nTrials: 20);

        foreach (var block in new[] { study.Trials.Take(10), study.Trials.Skip(10) })
        {
            var xs = block.Select(t => (int)Math.Floor((double)t.Params["x"]! * 10)).OrderBy(v => v);
            var ys = block.Select(t => (int)Math.Floor((double)t.Params["y"]! / 10)).OrderBy(v => v);
            Assert.That(xs, Is.EqualTo(Enumerable.Range(0, 10)));
            Assert.That(ys, Is.EqualTo(Enumerable.Range(0, 10)));
        }
    }
}
