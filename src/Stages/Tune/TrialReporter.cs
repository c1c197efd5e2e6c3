using Pipelines.Core;
using Pipelines.Tuning;

namespace Pipelines.Stages.Tune;

/// <summary>Lets an objective stage report intermediate values to its trial and ask whether to stop.</summary>
internal sealed class TrialReporter(Trial trial, OncePerSearch said) : IIntermediateReporter
{
    public void Report(double value, int step) => trial.Report(value, step);

    public bool ShouldPrune() => trial.ShouldPrune();

    public bool IsFirstToSay(string topic) => said.Claim(topic);
}
