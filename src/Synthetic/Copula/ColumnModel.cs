namespace Pipelines.Synthetic;

/// <summary>
/// One column of the Gaussian copula: maps training values to normal scores (fit) and latent
/// normal values back to typed values (sampling). Decoding is monotone in the latent value,
/// which is what lets a condition "column = value" become a latent interval.
/// </summary>
internal abstract class ColumnModel
{
    /// <summary>Latent values are clamped to ±this when searched or truncated.</summary>
    public const double LatentLimit = 8.5;

    protected ColumnModel(string name, ColumnStorage storage)
    {
        Name = name;
        Storage = storage;
    }

    public string Name { get; }

    public ColumnStorage Storage { get; }

    /// <summary>Normal score of a training row: the mean of Z over the row's value's probability interval.</summary>
    public abstract double Score(TableColumn column, int row);

    /// <summary>Writes typed values for <paramref name="latent"/> into <paramref name="target"/> from <paramref name="offset"/>.</summary>
    public abstract void Decode(ReadOnlySpan<double> latent, Array target, int offset, ref SeededRandom random, bool allowNull);

    /// <summary>The latent interval whose values decode to <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The model never produces that value.</exception>
    public abstract (double Low, double High) LatentInterval(object value);

    public abstract CopulaColumnDocument ToDocument();

    public static ColumnModel FromDocument(CopulaColumnDocument document) =>
        document.Categories is null ? new NumericColumnModel(document) : new CategoricalColumnModel(document);

    public static Array CreateArray(ColumnStorage storage, int rows) => storage switch
    {
        ColumnStorage.Boolean => new bool?[rows],
        ColumnStorage.Int64 => new long?[rows],
        ColumnStorage.Double => new double?[rows],
        ColumnStorage.String => new string?[rows],
        _ => new DateTime?[rows],
    };
}
