namespace Pipelines.Stages.Bias;

/// <summary>Values coded as 0..k−1 in ordinal order of their text (nulls: −1), so results never depend on hash order.</summary>
internal sealed class CategoricalCodes
{
    public CategoricalCodes(IReadOnlyList<string?> values, string? nullLabel)
    {
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        bool hasNull = false;
        foreach (string? v in values)
        {
            if (v is null)
            {
                hasNull = true;
            }
            else
            {
                distinct.Add(v);
            }
        }

        if (hasNull && nullLabel is not null)
        {
            distinct.Add(nullLabel);
        }

        var sorted = distinct.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        Names = sorted;
        var index = new Dictionary<string, int>(sorted.Length, StringComparer.Ordinal);
        for (int i = 0; i < sorted.Length; i++)
        {
            index[sorted[i]] = i;
        }

        int nullCode = nullLabel is not null && hasNull ? index[nullLabel] : -1;
        Codes = new int[values.Count];
        for (int i = 0; i < Codes.Length; i++)
        {
            string? v = values[i];
            Codes[i] = v is null ? nullCode : index[v];
        }
    }

    public string[] Names { get; }

    public int[] Codes { get; }

    public int IndexOf(string name) => Array.IndexOf(Names, name);
}
