namespace Pipelines.Stages.Bias;

/// <summary>Counts of one attribute's groups over a set of rows (each row added once per time it was drawn).</summary>
internal sealed class GroupCounts
{
    private readonly int[] _groups;
    private readonly int[] _labels;
    private readonly int[]? _predictions;
    private readonly int _positive;

    public GroupCounts(int[] groups, int groupCount, int[] labels, int labelCount, int[]? predictions, int positive)
    {
        _groups = groups;
        _labels = labels;
        _predictions = predictions;
        _positive = positive;
        Rows = new long[groupCount];
        Table = new long[groupCount, labelCount];
        Confusion = new long[groupCount, 4];
        Predicted = new long[groupCount];
        PredictedPositive = new long[groupCount];
    }

    /// <summary>Rows per group.</summary>
    public long[] Rows { get; }

    /// <summary>Rows per group and label (labelled rows only).</summary>
    public long[,] Table { get; }

    /// <summary>TP, FN, FP, TN per group against the positive label (rows with a label and a prediction).</summary>
    public long[,] Confusion { get; }

    /// <summary>Rows per group with a prediction.</summary>
    public long[] Predicted { get; }

    /// <summary>Rows per group predicted positive.</summary>
    public long[] PredictedPositive { get; }

    public long Total { get; private set; }

    public void Clear()
    {
        Array.Clear(Rows);
        Array.Clear(Table);
        Array.Clear(Confusion);
        Array.Clear(Predicted);
        Array.Clear(PredictedPositive);
        Total = 0;
    }

    public void Add(int row)
    {
        int group = _groups[row];
        Rows[group]++;
        Total++;
        int label = _labels[row];
        if (label >= 0)
        {
            Table[group, label]++;
        }

        if (_predictions is null || _positive < 0 || _predictions[row] < 0)
        {
            return;
        }

        bool predicted = _predictions[row] == 1;
        Predicted[group]++;
        if (predicted)
        {
            PredictedPositive[group]++;
        }

        if (label >= 0)
        {
            bool actual = label == _positive;
            Confusion[group, actual ? (predicted ? 0 : 1) : (predicted ? 2 : 3)]++;
        }
    }
}
