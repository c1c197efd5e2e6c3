using System.Text.Json.Nodes;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>A real parameter in [low, high], optionally on a log scale or on a grid of <see cref="Step"/>.</summary>
public sealed class FloatDistribution : Distribution
{
    /// <summary>Creates the distribution; throws <see cref="ArgumentException"/> for an invalid range.</summary>
    /// <param name="low">Lower bound (inclusive).</param>
    /// <param name="high">Upper bound (inclusive). With a step, lowered to the last grid point.</param>
    /// <param name="log">Sample on a log scale; needs low &gt; 0. Default false.</param>
    /// <param name="step">Grid spacing; cannot be combined with log. Default none.</param>
    public FloatDistribution(double low, double high, bool log = false, double? step = null)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            throw new ArgumentException($"low and high must be finite numbers, but got low={Invariant.Format(low)}, high={Invariant.Format(high)}.");
        }

        if (low > high)
        {
            throw new ArgumentException($"low must be less than or equal to high, but got low={Invariant.Format(low)}, high={Invariant.Format(high)}.");
        }

        if (log && low <= 0)
        {
            throw new ArgumentException($"low must be greater than 0 for a log distribution, but got low={Invariant.Format(low)}.");
        }

        if (step is double s)
        {
            if (log)
            {
                throw new ArgumentException("step cannot be combined with log; use one or the other.");
            }

            if (!(s > 0) || !double.IsFinite(s))
            {
                throw new ArgumentException($"step must be greater than 0, but got step={Invariant.Format(s)}.");
            }

            // Like Optuna: the upper bound becomes the last point on the grid.
            double n = Math.Floor((high - low) / s + 1e-9);
            high = low + n * s;
        }

        Low = low;
        High = high;
        Log = log;
        Step = step;
    }

    /// <summary>Lower bound (inclusive).</summary>
    public double Low { get; }

    /// <summary>Upper bound (inclusive).</summary>
    public double High { get; }

    /// <summary>Whether values are sampled on a log scale.</summary>
    public bool Log { get; }

    /// <summary>Grid spacing, or null for a continuous range.</summary>
    public double? Step { get; }

    /// <inheritdoc />
    public override bool IsSingle => Low == High;

    /// <inheritdoc />
    public override object? ToExternal(double internalValue) => internalValue;

    /// <inheritdoc />
    public override double ToInternal(object? externalValue)
    {
        double v = externalValue switch
        {
            double d => d,
            float f => f,
            int i => i,
            long l => l,
            decimal m => (double)m,
            _ => throw new ArgumentException($"Expected a number for a float parameter, but got '{Invariant.Format(externalValue)}'."),
        };
        if (!Contains(v))
        {
            throw new ArgumentException($"{Invariant.Format(v)} is outside {this}.");
        }

        return v;
    }

    /// <inheritdoc />
    public override bool Contains(double internalValue)
    {
        if (!(internalValue >= Low && internalValue <= High))
        {
            return false;
        }

        if (Step is double s)
        {
            double k = (internalValue - Low) / s;
            return Math.Abs(k - Math.Round(k)) < 1e-8;
        }

        return true;
    }

    /// <summary>The closest valid value: clamped and rounded to the grid.</summary>
    internal double Snap(double value)
    {
        if (Step is double s)
        {
            value = Low + Math.Round((value - Low) / s) * s;
        }

        return Math.Clamp(value, Low, High);
    }

    /// <inheritdoc />
    internal override double FromUnit(double u)
    {
        if (Step is double s)
        {
            long n = (long)Math.Round((High - Low) / s) + 1;
            long k = Math.Min((long)Math.Floor(u * n), n - 1);
            return Math.Min(Low + k * s, High);
        }

        double v = Log
            ? Math.Exp(Math.Log(Low) + u * (Math.Log(High) - Math.Log(Low)))
            : Low + u * (High - Low);
        return Math.Clamp(v, Low, High);
    }

    /// <inheritdoc />
    public override JsonObject ToJson()
    {
        var o = new JsonObject { ["type"] = "float", ["low"] = Low, ["high"] = High, ["log"] = Log };
        if (Step is double s)
        {
            o["step"] = s;
        }

        return o;
    }

    internal static FloatDistribution FromJsonObject(JsonObject json) => new(
        json["low"]!.GetValue<double>(),
        json["high"]!.GetValue<double>(),
        json["log"]?.GetValue<bool>() ?? false,
        json["step"]?.GetValue<double>());

    /// <inheritdoc />
    public override bool Equals(Distribution? other)
        => other is FloatDistribution f && f.Low == Low && f.High == High && f.Log == Log && f.Step == Step;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Low, High, Log, Step);
}
