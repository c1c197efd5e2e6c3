using System.Text.Json.Serialization;
using Pipelines.Core.Definition;

namespace Pipelines.Stages.Bias;

/// <summary>Options of the <c>bias</c> stage (YAML <c>with:</c>, snake_case).</summary>
public sealed class BiasOptions
{
    /// <summary>The label column (required).</summary>
    public string Label { get; set; } = string.Empty;

    /// <summary>Sensitive columns (required, at least one).</summary>
    public List<string> Sensitive { get; set; } = [];

    /// <summary>Bin edges for numeric sensitive columns, e.g. <c>age: [25, 45, 65]</c>. Numeric columns without edges are used as categories.</summary>
    public Dictionary<string, List<double>> Bins { get; set; } = [];

    /// <summary>The favourable label; default: "1"/"true" when the labels are binary, otherwise selection-rate metrics are skipped.</summary>
    [JsonConverter(typeof(ScalarTextConverter))] // positive_label: 1 is the label "1"
    public string? PositiveLabel { get; set; }

    /// <summary>Expected group shares per attribute, e.g. <c>sex: {Female: 0.5, Male: 0.5}</c>.</summary>
    public Dictionary<string, Dictionary<string, double>> Reference { get; set; } = [];

    /// <summary>Column of a model's predicted labels (enables equal opportunity and equalized odds).</summary>
    public string? Prediction { get; set; }

    /// <summary>Text columns whose length distribution is reported per group.</summary>
    public List<string> TextColumns { get; set; } = [];

    /// <summary>Per attribute, the group every other group is compared with (difference = group − reference, ratio = group / reference). Default: none (max − min over groups).</summary>
    public Dictionary<string, string> ReferenceGroup { get; set; } = [];

    /// <summary>Groups with fewer rows are reported but left out of between-group figures. Default: 0.</summary>
    public int MinGroupSize { get; set; }

    /// <summary>Coverage of the bootstrap intervals. Default: 0.95.</summary>
    public double Confidence { get; set; } = BiasConstants.DefaultConfidence;

    /// <summary>Bootstrap resamples; 0 = no intervals. Default: 1000.</summary>
    public int Bootstrap { get; set; } = BiasConstants.DefaultBootstrap;

    /// <summary>Bootstrap seed; null uses the stage seed. Default: null.</summary>
    public long? Seed { get; set; }

    /// <summary>Threads; -1 = all cores. Results do not depend on it. Default: -1.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>Limits to check.</summary>
    public BiasThresholds Thresholds { get; set; } = new();

    /// <summary><c>warn</c> or <c>fail</c> when a limit is broken. Default: warn.</summary>
    public ViolationAction OnViolation { get; set; } = ViolationAction.Warn;
}
