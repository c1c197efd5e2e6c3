namespace Pipelines.Stages.Bias;

/// <summary>Defaults and limits of the bias stage and library.</summary>
internal static class BiasConstants
{
    public const double DefaultConfidence = 0.95;
    public const int DefaultBootstrap = 1000;
    public const int MaxBootstrap = 100_000;
}
