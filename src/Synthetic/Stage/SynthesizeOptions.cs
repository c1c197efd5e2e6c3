using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Synthetic;

/// <summary>Options of the <c>synthesize</c> stage (the YAML <c>with:</c> map, snake_case).</summary>
public sealed class SynthesizeOptions
{
    /// <summary>Generator: <c>copula</c> (default), <c>tvae</c>, or another method registered in <see cref="SynthesisMethodRegistry"/>.</summary>
    public string Method { get; set; } = SynthesizeConstants.DefaultMethod;

    /// <summary>Rows to generate. Default: as many as the input table has. Not used with <see cref="Balance"/>.</summary>
    public int? Rows { get; set; }

    /// <summary>Every generated row has these values, e.g. <c>{label: rare_class}</c>. Default: none.</summary>
    public Dictionary<string, JsonElement>? Conditions { get; set; }

    /// <summary>Generate just enough rows to balance a column's groups. Default: off.</summary>
    public BalanceOptions? Balance { get; set; }

    /// <summary>Also output <c>mixed</c>: the real rows (<c>_source = real</c>) followed by the synthetic ones. Default false.</summary>
    public bool Mix { get; set; }

    /// <summary>Options of the Gaussian copula (<c>method: copula</c>). Default: <see cref="GaussianCopulaOptions"/> defaults.</summary>
    public GaussianCopulaOptions? Copula { get; set; }

    /// <summary>Options of the neural synthesizer (<c>method: tvae</c>). Default: <see cref="TvaeOptions"/> defaults.</summary>
    public TvaeOptions? Tvae { get; set; }

    /// <summary>Options of the Bayesian-network synthesizer (<c>method: bayesnet</c>). Default: <see cref="BayesNetOptions"/> defaults.</summary>
    public BayesNetOptions? Bayesnet { get; set; }

    /// <summary>Options of the <c>text-lm</c> method (template, training and generation settings), passed unchanged to it. Default: none.</summary>
    public JsonObject? TextLm { get; set; }

    /// <summary>Find the relations the real rows obey (dependencies, combinations that never occur, inequalities) and keep them. Default true.</summary>
    public bool DetectConstraints { get; set; } = true;

    /// <summary>Relations to keep whether or not they are found (SDV's constraints). Default: none.</summary>
    public List<ConstraintOptions>? Constraints { get; set; }

    /// <summary>Synthetic and holdout rows whose distance to the closest real row is measured. Default 1000.</summary>
    public int PrivacyRows { get; set; } = PrivacyEvaluator.DefaultRowsChecked;
}
