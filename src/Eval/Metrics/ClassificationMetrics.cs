namespace Pipelines.Eval;

/// <summary>Accuracy, macro-F1, per-class precision/recall and the confusion matrix of a set of predictions.</summary>
public sealed record ClassificationMetrics
{
    /// <summary>Labels in id order.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Share of rows predicted correctly.</summary>
    public required double Accuracy { get; init; }

    /// <summary>Unweighted mean of the per-class F1 scores (classes with support or predictions).</summary>
    public required double MacroF1 { get; init; }

    /// <summary>Per-class figures, in label order.</summary>
    public required IReadOnlyList<ClassMetrics> PerClass { get; init; }

    /// <summary>Counts: row = actual class, column = predicted class.</summary>
    public required int[][] ConfusionMatrix { get; init; }

    /// <summary>Number of rows.</summary>
    public int Count => ConfusionMatrix.Sum(r => r.Sum());

    /// <summary>Computes the metrics.</summary>
    /// <exception cref="ArgumentException">Lengths differ, there are no rows, or an id is outside the labels.</exception>
    public static ClassificationMetrics Compute(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(labels);
        if (actual.Count != predicted.Count)
        {
            throw new ArgumentException($"There are {actual.Count} actual labels but {predicted.Count} predictions.", nameof(predicted));
        }

        if (actual.Count == 0)
        {
            throw new ArgumentException("There are no rows to evaluate.", nameof(actual));
        }

        var k = labels.Count;
        var matrix = Enumerable.Range(0, k).Select(_ => new int[k]).ToArray();
        for (var i = 0; i < actual.Count; i++)
        {
            if ((uint)actual[i] >= (uint)k || (uint)predicted[i] >= (uint)k)
            {
                throw new ArgumentException($"Row {i + 1}: class id outside 0..{k - 1}.", nameof(actual));
            }

            matrix[actual[i]][predicted[i]]++;
        }

        var perClass = new List<ClassMetrics>(k);
        var correct = 0;
        var f1Sum = 0.0;
        var present = 0;
        for (var c = 0; c < k; c++)
        {
            var tp = matrix[c][c];
            correct += tp;
            var support = matrix[c].Sum();
            var predictedCount = matrix.Sum(r => r[c]);
            var precision = predictedCount == 0 ? 0 : (double)tp / predictedCount;
            var recall = support == 0 ? 0 : (double)tp / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.Add(new ClassMetrics(labels[c], precision, recall, f1, support));
            if (support > 0 || predictedCount > 0)
            {
                f1Sum += f1;
                present++;
            }
        }

        return new ClassificationMetrics
        {
            Labels = labels.ToArray(),
            Accuracy = (double)correct / actual.Count,
            MacroF1 = present == 0 ? 0 : f1Sum / present,
            PerClass = perClass,
            ConfusionMatrix = matrix,
        };
    }
}
