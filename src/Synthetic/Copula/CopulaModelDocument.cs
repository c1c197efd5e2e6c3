namespace Pipelines.Synthetic;

/// <summary>Serialised Gaussian copula (<c>copula.json</c>): column models and the correlation of normal scores.</summary>
internal sealed class CopulaModelDocument
{
    public const string CurrentFormat = "pipelines.gaussian-copula/1";

    public string Format { get; set; } = CurrentFormat;

    public int TrainingRows { get; set; }

    public List<CopulaColumnDocument> Columns { get; set; } = [];

    public double[][] Correlation { get; set; } = [];
}
