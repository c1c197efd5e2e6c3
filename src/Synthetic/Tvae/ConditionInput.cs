namespace Pipelines.Synthetic;

/// <summary>
/// The condition part of a conditional TVAE decoder's input for one batch: per row, a category of the
/// condition column (drawn from its training frequencies, or fixed) written as a one-hot block.
/// One uniform is drawn per row whether or not the category is fixed, so rows keep their randomness.
/// </summary>
internal sealed class ConditionInput
{
    private readonly double[] _cumulative;
    private readonly int _fixed;

    public ConditionInput(TvaeModelDocument document, ColumnModel[] columns, int fixedCategory, int batch)
    {
        _fixed = fixedCategory;
        if (document.ConditionColumn < 0)
        {
            _cumulative = [];
            Chosen = [];
            return;
        }

        var frequencies = columns[document.ConditionColumn].ToDocument().Frequencies!;
        _cumulative = new double[frequencies.Length];
        double sum = 0;
        for (int k = 0; k < frequencies.Length; k++)
        {
            sum += frequencies[k];
            _cumulative[k] = sum;
        }

        Width = frequencies.Length;
        Chosen = new int[batch];
    }

    /// <summary>One-hot width (0 when the decoder is unconditional).</summary>
    public int Width { get; }

    /// <summary>The category of each row of the batch.</summary>
    public int[] Chosen { get; }

    public void Fill(ref SeededRandom random, int row, Span<float> oneHot)
    {
        if (Width == 0)
        {
            return;
        }

        double u = random.NextDouble() * _cumulative[^1];
        int k = 0;
        while (k < Width - 1 && _cumulative[k] <= u)
        {
            k++;
        }

        k = _fixed >= 0 ? _fixed : k;
        oneHot.Clear();
        oneHot[k] = 1f;
        Chosen[row] = k;
    }
}
