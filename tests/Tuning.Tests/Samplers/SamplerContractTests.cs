namespace Pipelines.Tuning.Tests.Samplers;

/// <summary>The behaviour every <see cref="ISampler"/> must share.</summary>
[TestFixtureSource(nameof(Kinds))]
public class SamplerContractTests
{
    public static readonly object[] Kinds = ["random", "lhs", "tpe", "tpe-multivariate", "tpe-group", "tpe-lhs-startup", "tpe-constant-liar", "gp"];

    private readonly string _kind;

    public SamplerContractTests(string kind)
    {
        _kind = kind;
    }

    private ISampler Create(long seed) => _kind switch
    {
        "random" => new RandomSampler(seed),
        "lhs" => new LatinHypercubeSampler(10, seed),
        "tpe" => new TpeSampler(seed),
        "tpe-multivariate" => new TpeSampler(seed, new TpeSamplerOptions { Multivariate = true }),
        "tpe-group" => new TpeSampler(seed, new TpeSamplerOptions { Multivariate = true, Group = true }),
        "tpe-lhs-startup" => new TpeSampler(seed, new TpeSamplerOptions { StartupSampler = new LatinHypercubeSampler(10, seed) }),
        "tpe-constant-liar" => new TpeSampler(seed, new TpeSamplerOptions { ConstantLiar = true }),
        "gp" => new GpSampler(seed, new GpSamplerOptions { NCandidates = 256 }),
        _ => throw new ArgumentException(_kind),
    };

    private static double Mixed(Trial t)
    {
        double a = t.SuggestFloat("a", -5, 5);
        double b = t.SuggestFloat("b", 1e-4, 1, log: true);
        double c = t.SuggestFloat("c", 0, 1, step: 0.25);
        long d = t.SuggestInt("d", 1, 10);
        long e = t.SuggestInt("e", 1, 1000, log: true);
        long f = t.SuggestInt("f", 0, 20, step: 5);
        string g = t.SuggestCategorical("g", new[] { "x", "y", "z" });
        return (a * a) + Math.Log(b) + c + d + Math.Log(e) + f + (g == "y" ? 0 : 1);
    }

    [Test]
    public async Task Suggestions_stay_inside_their_distributions_and_respect_step_log_and_integrality()
    {
        var study = Study.Create("contract", sampler: Create(1));
        await study.OptimizeAsync(Mixed, nTrials: 25);

        Assert.That(study.Trials.All(t => t.State == TrialState.Complete), Is.True);
        foreach (var t in study.Trials)
        {
            foreach (var (name, dist) in t.Distributions)
            {
                Assert.That(dist.Contains(t.InternalParams[name]), Is.True, $"trial {t.Number} {name}={t.InternalParams[name]}");
            }

            Assert.That((double)t.Params["c"]! * 4 % 1, Is.EqualTo(0));
            Assert.That((long)t.Params["f"]! % 5, Is.EqualTo(0));
            Assert.That((double)t.Params["b"]!, Is.InRange(1e-4, 1));
        }

        // Ranges are explored, not collapsed onto one value.
        Assert.That(study.Trials.Select(t => t.Params["a"]).Distinct().Count(), Is.GreaterThan(10));
    }

    [Test]
    public async Task The_same_seed_gives_the_same_suggestions()
    {
        async Task<List<object?>> Run()
        {
            var study = Study.Create("seeded", sampler: Create(11));
            await study.OptimizeAsync(Mixed, nTrials: 20);
            return study.Trials.SelectMany(t => t.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)).ToList();
        }

        var first = await Run();
        Assert.That(await Run(), Is.EqualTo(first));
    }

    [Test]
    public async Task Different_seeds_give_different_suggestions()
    {
        async Task<double> FirstValue(long seed)
        {
            var study = Study.Create("seeded", sampler: Create(seed));
            await study.OptimizeAsync(t => t.SuggestFloat("x", 0, 1), nTrials: 1);
            return (double)study.Trials[0].Params["x"]!;
        }

        Assert.That(await FirstValue(1), Is.Not.EqualTo(await FirstValue(2)));
    }

    [Test]
    public async Task A_conditional_space_is_sampled_without_errors_and_each_branch_keeps_its_own_parameters()
    {
        var study = Study.Create("conditional", sampler: Create(5));
        await study.OptimizeAsync(
            t =>
            {
                string model = t.SuggestCategorical("model", new[] { "linear", "tree" });
                if (model == "linear")
                {
                    double l2 = t.SuggestFloat("l2", 1e-6, 1, log: true);
                    return Math.Abs(Math.Log10(l2) + 3);
                }

                long depth = t.SuggestInt("depth", 1, 12);
                return Math.Abs(depth - 6) + t.SuggestFloat("lr", 0, 1);
            },
            nTrials: 30);

        Assert.That(study.Trials.All(t => t.State == TrialState.Complete), Is.True, string.Join("; ", study.Trials.Select(t => t.FailReason)));
        foreach (var t in study.Trials)
        {
            bool linear = (string)t.Params["model"]! == "linear";
            Assert.That(t.Params.Keys.OrderBy(k => k), Is.EqualTo(linear ? new[] { "l2", "model" } : new[] { "depth", "lr", "model" }));
        }
    }

    [Test]
    public async Task Maximizing_uses_the_direction()
    {
        var study = Study.Create("max", sampler: Create(3), direction: StudyDirection.Maximize);
        await study.OptimizeAsync(t => -Math.Abs(t.SuggestFloat("x", -10, 10) - 3), nTrials: 30);
        Assert.That(study.BestValue, Is.GreaterThan(-2.5));
    }
}
