using System.Text.Json.Nodes;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>An integer parameter in [low, high], optionally on a log scale or every <see cref="Step"/>.</summary>
public sealed class IntDistribution : Distribution
{
    /// <summary>Creates the distribution; throws <see cref="ArgumentException"/> for an invalid range.</summary>
    /// <param name="low">Lower bound (inclusive).</param>
    /// <param name="high">Upper bound (inclusive). With a step, lowered to the last reachable value.</param>
    /// <param name="log">Sample on a log scale; needs low &gt;= 1 and step 1. Default false.</param>
    /// <param name="step">Spacing between values, at least 1. Default 1.</param>
    public IntDistribution(long low, long high, bool log = false, long step = 1)
    {
        if (low > high)
        {
            throw new ArgumentException($"low must be less than or equal to high, but got low={Invariant.Format(low)}, high={Invariant.Format(high)}.");
        }

        if (log && low < 1)
        {
            throw new ArgumentException($"low must be at least 1 for a log distribution, but got low={Invariant.Format(low)}.");
        }

        if (step < 1)
        {
            throw new ArgumentException($"step must be at least 1, but got step={Invariant.Format(step)}.");
        }

        if (log && step != 1)
        {
            throw new ArgumentException($"step must be 1 for a log distribution, but got step={Invariant.Format(step)}.");
        }

        Low = low;
        High = low + (high - low) / step * step;
        Log = log;
        Step = step;
    }

    /// <summary>Lower bound (inclusive).</summary>
    public long Low { get; }

    /// <summary>Upper bound (inclusive).</summary>
    public long High { get; }

    /// <summary>Whether values are sampled on a log scale.</summary>
    public bool Log { get; }

    /// <summary>Spacing between values (1 = every integer).</summary>
    public long Step { get; }

    /// <inheritdoc />
    public override bool IsSingle => Low == High;

    /// <inheritdoc />
    public override object? ToExternal(double internalValue) => (long)Math.Round(internalValue);

    /// <inheritdoc />
    public override double ToInternal(object? externalValue)
    {
        double v = externalValue switch
        {
            int i => i,
            long l => l,
            short s => s,
            double d when d == Math.Floor(d) => d,
            _ => throw new ArgumentException($"Expected an integer for an int parameter, but got '{Invariant.Format(externalValue)}'."),
        };
        if (!Contains(v))
        {
            throw new ArgumentException($"{Invariant.Format(v)} is outside {this}.");
        }

        return v;
    }

    /// <inheritdoc />
    public override bool Contains(double internalValue)
        => internalValue >= Low && internalValue <= High && internalValue == Math.Floor(internalValue)
           && ((long)internalValue - Low) % Step == 0;

    /// <summary>The closest valid value: clamped and rounded to the step.</summary>
    internal double Snap(double value)
    {
        double v = Low + Math.Round((value - Low) / Step) * Step;
        return Math.Clamp(v, Low, High);
    }

    /// <inheritdoc />
    internal override double FromUnit(double u)
    {
        if (Log)
        {
            // Like Optuna: uniform on log(low - 0.5)..log(high + 0.5), then rounded.
            double a = Math.Log(Low - 0.5), b = Math.Log(High + 0.5);
            return Snap(Math.Exp(a + u * (b - a)));
        }

        long n = (High - Low) / Step + 1;
        long k = Math.Min((long)Math.Floor(u * n), n - 1);
        return Low + k * Step;
    }

    /// <inheritdoc />
    public override JsonObject ToJson()
        => new() { ["type"] = "int", ["low"] = Low, ["high"] = High, ["log"] = Log, ["step"] = Step };

    internal static IntDistribution FromJsonObject(JsonObject json) => new(
        json["low"]!.GetValue<long>(),
        json["high"]!.GetValue<long>(),
        json["log"]?.GetValue<bool>() ?? false,
        json["step"]?.GetValue<long>() ?? 1);

    /// <inheritdoc />
    public override bool Equals(Distribution? other)
        => other is IntDistribution d && d.Low == Low && d.High == High && d.Log == Log && d.Step == Step;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Low, High, Log, Step);
}
