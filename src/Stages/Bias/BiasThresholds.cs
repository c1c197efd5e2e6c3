namespace Pipelines.Stages.Bias;

/// <summary>Limits that make a bias check fail or warn. A null limit is not checked.</summary>
public sealed class BiasThresholds
{
    /// <summary>Lowest acceptable disparate impact (min/max selection rate), e.g. 0.8 (the four-fifths rule). Default: null.</summary>
    public double? DisparateImpactMin { get; set; }

    /// <summary>Highest acceptable demographic parity difference (max − min selection rate). Default: null.</summary>
    public double? ParityDifferenceMax { get; set; }

    /// <summary>Lowest acceptable share of rows for any group. Default: null.</summary>
    public double? MinGroupShare { get; set; }
}
