namespace Pipelines.Stages.Bias;

/// <summary>Thrown by the <c>bias</c> stage with <c>on_violation: fail</c> when thresholds are broken (the run fails, exit code 1).</summary>
public sealed class BiasThresholdException : Pipelines.Core.DataCheckFailedException
{
    /// <summary>Creates the exception listing every violation.</summary>
    public BiasThresholdException(IReadOnlyList<BiasViolation> violations)
        : base($"Bias check failed: {violations.Count} threshold(s) broken: " + string.Join("; ", violations))
    {
        Violations = violations;
    }

    /// <summary>Creates the exception with a message.</summary>
    public BiasThresholdException()
        : this([])
    {
    }

    /// <summary>The broken thresholds.</summary>
    public IReadOnlyList<BiasViolation> Violations { get; }
}
