using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning.Tests.Samplers;

public class GaussianProcessTests
{
    [Test]
    public void The_log_of_h_is_continuous_where_the_tail_expansion_takes_over()
    {
        Assert.That(GaussianProcess.LogH(-3 + 1e-9), Is.EqualTo(GaussianProcess.LogH(-3 - 1e-9)).Within(1e-7));
        Assert.That(GaussianProcess.LogH(-30 + 1e-9), Is.EqualTo(GaussianProcess.LogH(-30 - 1e-9)).Within(1e-7));
        // At z = -5: φ(5)·(1 − 5·m(5)) with m(5) = Φ(−5)/φ(5) = 2.866515718791939e-07 / 1.4867195147342977e-06.
        double m5 = 2.866515718791939e-07 / 1.4867195147342977e-06;
        Assert.That(GaussianProcess.LogH(-5), Is.EqualTo(Math.Log(1.4867195147342977e-06 * (1 - (5 * m5)))).Within(1e-9));
        Assert.That(double.IsFinite(GaussianProcess.LogH(-200)), Is.True);
        // h(0) = φ(0).
        Assert.That(GaussianProcess.LogH(0), Is.EqualTo(-0.5 * Math.Log(2 * Math.PI)).Within(1e-12));
    }

    [Test]
    public void A_fitted_process_interpolates_its_data_and_is_uncertain_far_from_it()
    {
        var x = Enumerable.Range(0, 8).Select(i => new[] { i / 7.0 * 0.5 }).ToArray();
        var y = x.Select(p => Math.Sin(6 * p[0])).ToArray();
        double mean = y.Average(), std = Math.Sqrt(y.Select(v => (v - mean) * (v - mean)).Average());
        var ys = y.Select(v => (v - mean) / std).ToArray();
        var gp = GaussianProcess.Fit(x, [false], ys, null);
        var scratch = new double[x.Length];

        for (int i = 0; i < x.Length; i++)
        {
            var (m, s) = gp.Predict(x[i], scratch);
            Assert.That(m, Is.EqualTo(ys[i]).Within(0.05));
            Assert.That(s, Is.LessThan(0.1));
        }

        Assert.That(gp.Predict([1.0], scratch).Std, Is.GreaterThan(0.3));
    }
}
