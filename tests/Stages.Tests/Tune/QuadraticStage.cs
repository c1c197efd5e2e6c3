using Microsoft.Extensions.Logging;
using Pipelines.Core;

namespace Pipelines.Stages.Tests.Tune;

/// <summary>Options of the analytic objective.</summary>
public sealed class QuadraticOptions
{
    public double X { get; set; }
    public double Y { get; set; }
    public string Shape { get; set; } = "bowl";
    public int Steps { get; set; } = 4;
}

/// <summary>
/// A cheap objective for tuning tests: loss = (x - 2)² + (y + 1)², reported at each "epoch" as loss + 1/step so
/// pruners see learning curves. Logs a device line as train does. Counts its executions so tests can tell computed trials from restored ones.
/// </summary>
public sealed class QuadraticStage : Stage<QuadraticOptions>
{
    private static int s_executions;

    public static int Executions => Volatile.Read(ref s_executions);

    /// <summary>Milliseconds a trial at (x, y) takes: tests vary it to change which parallel trial finishes first.</summary>
    public static Func<double, double, int> Delay { get; set; } = (_, _) => 0;

    public override string Kind => "quadratic";
    public override IReadOnlyList<StagePort> Inputs => [new("train", ArtifactKind.Table)];
    public override IReadOnlyList<StagePort> Outputs => [new("metrics", ArtifactKind.File, Extension: ".json")];

    protected override async Task RunAsync(StageContext context, QuadraticOptions options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref s_executions);
        // As train does: in a search only the first trial says which device it uses.
        if (context.Reporter?.IsFirstToSay("device") ?? true) context.Logger.LogInformation("Device auto: quadratic runs on paper.");
        if (Delay(options.X, options.Y) is > 0 and int ms) await Task.Delay(ms, cancellationToken);
        double loss = (options.X - 2) * (options.X - 2) + (options.Y + 1) * (options.Y + 1);
        if (options.Shape == "flat") loss += 10;
        for (int step = 1; step <= options.Steps; step++)
        {
            context.Reporter?.Report(loss + 1.0 / step, step);
            if (context.Reporter?.ShouldPrune() == true) throw new TrialPrunedException(step);
        }
        context.Summary["val_loss"] = loss;
        await File.WriteAllTextAsync(context.OutputPath("metrics"), $"{{\"val_loss\": {loss.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}", cancellationToken);
    }
}
