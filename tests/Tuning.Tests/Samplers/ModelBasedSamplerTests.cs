namespace Pipelines.Tuning.Tests.Samplers;

/// <summary>TPE and GP must use what they learn: better than random search on a smooth function.</summary>
public class ModelBasedSamplerTests
{
    private static async Task<double> Best(ISampler sampler, int trials)
    {
        var study = Study.Create("sphere", sampler: sampler);
        await study.OptimizeAsync(
            t =>
            {
                double x = t.SuggestFloat("x", -5, 5);
                double y = t.SuggestFloat("y", -5, 5);
                return ((x - 1.3) * (x - 1.3)) + ((y + 0.7) * (y + 0.7));
            },
            nTrials: trials);
        return study.BestValue;
    }

    private static double Median(IEnumerable<double> v)
    {
        var s = v.OrderBy(x => x).ToArray();
        return s[s.Length / 2];
    }

    [Test]
    public async Task Tpe_beats_random_search_on_a_shifted_sphere_over_five_seeds()
    {
        var random = new List<double>();
        var tpe = new List<double>();
        var tpeMulti = new List<double>();
        for (int seed = 0; seed < 5; seed++)
        {
            random.Add(await Best(new RandomSampler(seed), 60));
            tpe.Add(await Best(new TpeSampler(seed), 60));
            tpeMulti.Add(await Best(new TpeSampler(seed, new TpeSamplerOptions { Multivariate = true }), 60));
        }

        Assert.That(Median(tpe), Is.LessThan(Median(random)));
        Assert.That(Median(tpeMulti), Is.LessThan(Median(random)));
    }

    [Test]
    public async Task Gp_beats_random_search_and_gets_close_to_the_optimum_on_a_shifted_sphere()
    {
        var random = new List<double>();
        var gp = new List<double>();
        for (int seed = 0; seed < 3; seed++)
        {
            random.Add(await Best(new RandomSampler(seed), 30));
            gp.Add(await Best(new GpSampler(seed, new GpSamplerOptions { NCandidates = 512 }), 30));
        }

        Assert.That(Median(gp), Is.LessThan(Median(random)));
        Assert.That(Median(gp), Is.LessThan(0.01));
    }
}
