namespace Pipelines.Tuning;

/// <summary>How a Parzen estimator places its kernels (Optuna's defaults).</summary>
/// <param name="ConsiderPrior">Add a wide prior kernel centred on the range. Default true.</param>
/// <param name="PriorWeight">Weight of the prior kernel. Default 1.</param>
/// <param name="ConsiderMagicClip">Keep bandwidths above range / min(100, 1 + kernels). Default true.</param>
/// <param name="ConsiderEndpoints">Let the range ends widen the first and last kernels. Default false.</param>
/// <param name="Multivariate">Use the joint (Scott-like) bandwidth instead of neighbour distances. Default false.</param>
public sealed record ParzenEstimatorParameters(
    bool ConsiderPrior = true,
    double PriorWeight = 1.0,
    bool ConsiderMagicClip = true,
    bool ConsiderEndpoints = false,
    bool Multivariate = false);
