using System.Globalization;

namespace Pipelines.Tuning.Tests.Reporting;

public class TrialLogMessageTests
{
    private static string G6(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    [Test]
    public async Task Each_finished_trial_gets_Optunas_line_with_the_best_so_far_computed_from_the_trials()
    {
        var study = Study.Create("log", new InMemoryStorage(), new RandomSampler(7));
        var lines = new List<(int Number, string Line)>();
        await study.OptimizeAsync(
            (t, _) =>
            {
                double x = t.SuggestFloat("x", -3, 3);
                string act = t.SuggestCategorical("act", new[] { "relu", "gelu" });
                if (t.Number % 5 == 4) throw new TrialPrunedException();
                if (t.Number % 7 == 6) throw new InvalidOperationException("diverged");
                return Task.FromResult((x * x) + (act == "gelu" ? 0.5 : 0));
            },
            nTrials: 14,
            callbacks: [(s, trial) => lines.Add((trial.Number, TrialLogMessage.For(s, trial)))]);

        Assert.That(lines.Select(l => l.Number), Is.EqualTo(Enumerable.Range(0, 14)), "one line per trial, as each finishes");
        int? bestNumber = null;
        double bestValue = double.PositiveInfinity;
        foreach (var trial in study.Trials)
        {
            string parameters = $"{{'act': '{trial.Params["act"]}', 'x': {G6((double)trial.Params["x"]!)}}}";
            string expected;
            if (trial.Number % 5 == 4)
            {
                expected = $"Trial {trial.Number} pruned.";
            }
            else if (trial.Number % 7 == 6)
            {
                expected = $"Trial {trial.Number} failed with parameters {parameters} because of the following error: InvalidOperationException: diverged";
            }
            else
            {
                if (trial.Value!.Value < bestValue) (bestNumber, bestValue) = (trial.Number, trial.Value.Value);
                expected = $"Trial {trial.Number} finished with value {G6(trial.Value.Value)} and parameters {parameters}. Best is trial {bestNumber} with value {G6(bestValue)}.";
            }

            Assert.That(lines[trial.Number].Line, Is.EqualTo(expected));
        }
    }

    [Test]
    public void Values_have_six_significant_digits_not_seventeen()
    {
        var trial = new FrozenTrial(0, 3, TrialState.Complete, 0.41234567891234, null, null,
            new Dictionary<string, double> { ["lr"] = 0.000123456789 },
            new Dictionary<string, Distribution> { ["lr"] = new FloatDistribution(1e-5, 1e-2, log: true) });
        Assert.That(TrialLogMessage.For(trial, trial), Is.EqualTo("Trial 3 finished with value 0.412346 and parameters {'lr': 0.000123457}. Best is trial 3 with value 0.412346."));
    }
}
