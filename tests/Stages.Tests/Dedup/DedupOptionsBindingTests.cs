using System.Text.Json.Nodes;
using Pipelines.Core.Definition;
using Pipelines.Stages.Bias;
using Pipelines.Stages.Dedup;

namespace Pipelines.Stages.Tests.Dedup;

public class DedupOptionsBindingTests
{
    [Test]
    public void Dedup_options_bind_from_snake_case_yaml_keys()
    {
        var with = JsonNode.Parse("""
            { "columns": ["question"], "mode": "near", "threshold": 0.7, "ngram_size": 3, "num_perm": 64,
              "keep": "newest", "newest_by": "ts", "false_negative_weight": 0.7, "verify": false,
              "normalization": { "strip_punctuation": true, "nfkc": false } }
            """)!.AsObject();
        var options = OptionsBinder.Bind<DedupOptions>(with);
        Assert.That((options.Threshold, options.NgramSize, options.NumPerm, options.Keep, options.NewestBy, options.FalseNegativeWeight, options.Verify),
            Is.EqualTo((0.7, 3, 64, KeepRule.Newest, "ts", 0.7, false)));
        Assert.That((options.Normalization.StripPunctuation, options.Normalization.Nfkc, options.Normalization.CaseFold), Is.EqualTo((true, false, true)));
        Assert.That(new DedupStage().Validate(options), Is.Empty);
    }

    [Test]
    public void Bias_options_bind_thresholds_bins_and_on_violation()
    {
        var with = JsonNode.Parse("""
            { "label": "income", "sensitive": ["sex", "age"], "bins": { "age": [25, 45] }, "positive_label": ">50K",
              "reference": { "sex": { "Female": 0.5, "Male": 0.5 } },
              "thresholds": { "disparate_impact_min": 0.8, "min_group_share": 0.05 }, "on_violation": "fail" }
            """)!.AsObject();
        var options = OptionsBinder.Bind<BiasOptions>(with);
        Assert.That(options.OnViolation, Is.EqualTo(ViolationAction.Fail));
        Assert.That(options.Thresholds.DisparateImpactMin, Is.EqualTo(0.8));
        Assert.That(options.Bins["age"], Is.EqualTo(new[] { 25.0, 45.0 }));
        Assert.That(options.Reference["sex"]["Female"], Is.EqualTo(0.5));
        Assert.That(new BiasStage().Validate(options), Is.Empty);
    }

    [Test]
    public void The_catalog_lists_dedup_and_bias()
    {
        Assert.That(StagesCatalog.All().Select(s => s.Kind), Is.EqualTo(new[] { "ingest", "validate", "split", "dedup", "bias", "tune", "template" }));
    }
}
