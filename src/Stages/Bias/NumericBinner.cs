using System.Globalization;

namespace Pipelines.Stages.Bias;

/// <summary>Turns numbers into interval labels by ascending edges: [20, 40] gives "&lt;20", "[20, 40)", "&gt;=40".</summary>
public sealed class NumericBinner
{
    private readonly double[] _edges;
    private readonly string[] _labels;

    /// <summary>Creates a binner; edges must be strictly ascending.</summary>
    public NumericBinner(IReadOnlyList<double> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.Count == 0)
        {
            throw new ArgumentException("At least one bin edge is needed.", nameof(edges));
        }

        for (int i = 1; i < edges.Count; i++)
        {
            if (!(edges[i] > edges[i - 1]))
            {
                throw new ArgumentException($"Bin edges must be strictly ascending; {F(edges[i])} follows {F(edges[i - 1])}.", nameof(edges));
            }
        }

        _edges = edges.ToArray();
        _labels = new string[_edges.Length + 1];
        _labels[0] = "<" + F(_edges[0]);
        for (int i = 1; i < _edges.Length; i++)
        {
            _labels[i] = $"[{F(_edges[i - 1])}, {F(_edges[i])})";
        }

        _labels[^1] = ">=" + F(_edges[^1]);
    }

    /// <summary>The label of <paramref name="value"/>'s bin; null stays null.</summary>
    public string? Bin(double? value)
    {
        if (value is not { } v || double.IsNaN(v))
        {
            return null;
        }

        int index = Array.BinarySearch(_edges, v);
        index = index >= 0 ? index + 1 : ~index;
        return _labels[index];
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
