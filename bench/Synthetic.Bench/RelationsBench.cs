using System.Diagnostics;
using Pipelines.Synthetic;

namespace Pipelines.Synthetic.Bench;

/// <summary>
/// Issue 19 part 3: does synthetic data keep the data's logic? Fit on 2/3 of Adult, judge on the held-out third with
/// SDMetrics' definitions: column shapes, pair trends over all pairs and over the related ones (association ≥ 0.27),
/// the independent-columns baseline, relation compliance, DCR (mean and median, against the holdout's own).
/// </summary>
internal static class RelationsBench
{
    public static void Run(ColumnTable all, int epochs)
    {
        var order = Enumerable.Range(0, all.RowCount).OrderBy(i => (i * 2654435761L) % 1000003).ToArray();
        int trainRows = all.RowCount * 2 / 3;
        var train = all.Take(order[..trainRows]);
        var holdout = all.Take(order[trainRows..]);
        var clock = Stopwatch.StartNew();
        var rules = new DataRules(RuleDetector.Detect(train));
        Console.WriteLine($"train {train.RowCount}, holdout {holdout.RowCount}; {rules.Rules.Count} relations found in {clock.Elapsed.TotalSeconds:0.00} s:");
        foreach (var rule in rules.Rules)
        {
            Console.WriteLine($"  {rule.Describe()}");
        }

        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| method | column shapes | pair trends (all) | pair trends (related pairs) | relations kept (min over relations) | median DCR ratio | mean DCR ratio | exact copies (holdout's own) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Report("real training rows (ceiling)", train.Slice(0, holdout.RowCount), train, holdout, rules);
        Report("independent columns (train shuffled per column)", QualityEvaluator.IndependentColumns(train, 17), train, holdout, rules);
        foreach (bool keep in new[] { false, true })
        {
            var copula = new GaussianCopulaSynthesizer();
            ISynthesizer c = keep ? new RuleKeepingSynthesizer(copula, rules) : copula;
            c.Fit(train, 1);
            Report(keep ? "copula + relations" : "copula", c.Sample(holdout.RowCount, 2), train, holdout, rules);

            var network = new BayesNetSynthesizer();
            ISynthesizer b = keep ? new RuleKeepingSynthesizer(network, rules) : network;
            b.Fit(train, 1);
            Report(keep ? "bayesnet + relations" : "bayesnet", b.Sample(holdout.RowCount, 2), train, holdout, rules);
            if (!keep)
            {
                Console.WriteLine("    network: " + string.Join("; ", network.Structure.Select(s => $"{s.Column} <- {string.Join(", ", s.Parents)}")));
            }

            using var tvae = new TvaeSynthesizer(new TvaeOptions { Epochs = epochs });
            ISynthesizer t = keep ? new RuleKeepingSynthesizer(tvae, rules) : tvae;
            t.Fit(train, 1);
            Report(keep ? $"tvae ({epochs} epochs) + relations" : $"tvae ({epochs} epochs)", t.Sample(holdout.RowCount, 2), train, holdout, rules);
        }
    }

    private static void Report(string name, ColumnTable sample, ColumnTable train, ColumnTable holdout, DataRules rules)
    {
        var quality = QualityEvaluator.Evaluate(holdout, sample);
        var privacy = PrivacyEvaluator.Evaluate(train, sample, holdout, 1);
        double kept = rules.Rules.Count == 0 ? 1 : rules.Compliance(sample).Min(r => r.Share);
        Console.WriteLine($"| {name} | {quality.ColumnShapesScore:0.000} | {quality.ColumnPairTrendsScore:0.000} | {quality.ThresholdedPairTrendsScore:0.000} ({quality.RelatedPairs} pairs) | " +
            $"{kept:P2} | {privacy.DcrMedianRatio:0.000} | {privacy.DcrRatio:0.000} | {privacy.ExactCopyShare:P2} ({privacy.HoldoutExactCopyShare:P2}) |");
        if (Environment.GetEnvironmentVariable("RELATIONS_PAIRS") == "1")
        {
            foreach (var p in quality.ColumnPairTrends.Where(p => p.RealAssociation >= QualityReport.AssociationThreshold).OrderBy(p => p.Score))
            {
                Console.WriteLine($"    {p.ColumnA} x {p.ColumnB}: {p.Score:0.000} (association {p.RealAssociation:0.00}, {p.Metric})");
            }
        }
    }
}
