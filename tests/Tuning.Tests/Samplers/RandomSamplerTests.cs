namespace Pipelines.Tuning.Tests.Samplers;

public class RandomSamplerTests
{
    [Test]
    public async Task Neighbouring_seeds_never_replay_each_others_trials()
    {
        // Guards the seed mixing: a weak hash combine once made (seed 0, trial 86) equal (seed 1, trial 21).
        async Task<HashSet<double>> Values(long seed)
        {
            var study = Study.Create("r", sampler: new RandomSampler(seed));
            await study.OptimizeAsync(t => t.SuggestFloat("x", 0, 1), nTrials: 300);
            return study.Trials.Select(t => (double)t.Params["x"]!).ToHashSet();
        }

        var a = await Values(0);
        var b = await Values(1);
        Assert.That(a.Overlaps(b), Is.False);
    }

    [Test]
    public async Task Log_scale_values_spread_evenly_over_decades()
    {
        var study = Study.Create("r", sampler: new RandomSampler(9));
        await study.OptimizeAsync(t => t.SuggestFloat("lr", 1e-5, 1e-1, log: true), nTrials: 400);
        var perDecade = study.Trials.GroupBy(t => (int)Math.Floor(Math.Log10((double)t.Params["lr"]!))).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(perDecade.Keys.OrderBy(k => k), Is.EqualTo(new[] { -5, -4, -3, -2 }));
        Assert.That(perDecade.Values, Has.All.InRange(70, 130));
    }
}
