using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning.Tests.Samplers;

public class ParzenEstimatorTests
{
    private static readonly ParzenEstimatorParameters Defaults = new();

    [Test]
    public void Default_gamma_and_weights_follow_optuna()
    {
        Assert.That(TpeSamplerOptions.DefaultGamma(9), Is.EqualTo(1));
        Assert.That(TpeSamplerOptions.DefaultGamma(100), Is.EqualTo(10));
        Assert.That(TpeSamplerOptions.DefaultGamma(1000), Is.EqualTo(25));

        Assert.That(ParzenEstimator.DefaultWeights(3), Is.EqualTo(new[] { 1.0, 1.0, 1.0 }));
        var w = ParzenEstimator.DefaultWeights(30);
        // numpy.linspace(1/30, 1, 5) then 25 ones.
        Assert.That(w.Take(5), Is.EqualTo(new[] { 1 / 30.0, 1 / 30.0 + (29 / 30.0 / 4), 1 / 30.0 + (29 / 30.0 / 2), 1 / 30.0 + (29 / 30.0 * 3 / 4), 1.0 }).Within(1e-12));
        Assert.That(w.Skip(5), Has.All.EqualTo(1.0));
    }

    [Test]
    public void A_continuous_density_integrates_to_one_over_its_range()
    {
        var pe = new ParzenEstimator([new FloatDistribution(-1, 2)], [[0.1, 0.2, 1.9]], [1, 1, 1], Defaults);
        int m = 20000;
        var xs = Enumerable.Range(0, m).Select(i => -1 + (3.0 * (i + 0.5) / m)).ToArray();
        double integral = pe.LogPdf([xs]).Sum(Math.Exp) * 3.0 / m;
        Assert.That(integral, Is.EqualTo(1).Within(1e-3));
    }

    [Test]
    public void A_discrete_density_sums_to_one_over_its_values()
    {
        var dist = new IntDistribution(0, 20, step: 2);
        var pe = new ParzenEstimator([dist], [[4, 4, 18]], [1, 1, 1], Defaults);
        var xs = Enumerable.Range(0, 11).Select(i => i * 2.0).ToArray();
        Assert.That(pe.LogPdf([xs]).Sum(Math.Exp), Is.EqualTo(1).Within(1e-9));
    }

    [Test]
    public void One_observation_with_the_prior_has_the_hand_computed_density()
    {
        // Range [0, 1], observation 0.5, prior mu 0.5 sigma 1. Neighbour sigma: sorted [0, 0.5, 0.5, 1] with
        // consider_endpoints false -> first sigma = 0.5 - 0.5 = 0, clipped up to 1 / min(100, 1 + 2) = 1/3.
        // Weights 1/2 each. Density at 0.5 = 0.5 * N(0|1/3)/Z1 + 0.5 * N(0|1)/Z2, Z = Φ(b) - Φ(a).
        var pe = new ParzenEstimator([new FloatDistribution(0, 1)], [[0.5]], [1], Defaults);
        static double Phi(double z) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));
        double s1 = 1 / 3.0;
        double k1 = 1 / (s1 * Math.Sqrt(2 * Math.PI)) / (Phi(0.5 / s1) - Phi(-0.5 / s1));
        double k2 = 1 / Math.Sqrt(2 * Math.PI) / (Phi(0.5) - Phi(-0.5));
        Assert.That(Math.Exp(pe.LogPdf([[0.5]])[0]), Is.EqualTo((0.5 * k1) + (0.5 * k2)).Within(1e-4).Percent);
    }

    [Test]
    public void Categorical_kernels_put_extra_mass_on_observed_choices()
    {
        var dist = new CategoricalDistribution(new object?[] { "a", "b", "c" });
        var pe = new ParzenEstimator([dist], [[1, 1]], [1, 1], Defaults);
        var p = pe.LogPdf([[0, 1, 2]]).Select(Math.Exp).ToArray();
        // 3 kernels (2 observations + prior), each weighing 1/3. Observed rows: prior_weight / kernels = 1/3 per
        // choice plus 1 on the observed one, normalised: (1/6, 2/3, 1/6). The prior row is uniform.
        Assert.That(p[1], Is.EqualTo((2 / 3.0 * 2 / 3.0) + (1 / 9.0)).Within(1e-12));
        Assert.That(p[0], Is.EqualTo((2 / 3.0 / 6.0) + (1 / 9.0)).Within(1e-12));
        Assert.That(p.Sum(), Is.EqualTo(1).Within(1e-12));
    }

    [Test]
    public void Samples_stay_on_the_grid_of_a_log_int_distribution()
    {
        var dist = new IntDistribution(1, 1000, log: true);
        var pe = new ParzenEstimator([dist], [[3, 50, 700]], [1, 1, 1], Defaults);
        var samples = pe.Sample(new DeterministicRandom(1), 200)[0];
        Assert.That(samples.All(dist.Contains), Is.True);
    }
}
