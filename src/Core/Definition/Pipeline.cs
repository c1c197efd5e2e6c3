using System.Text.Json.Nodes;

namespace Pipelines.Core.Definition;

/// <summary>
/// Fluent C# definition of a pipeline; produces the same <see cref="PipelineDefinition"/> (and so the same
/// fingerprints) as the equivalent YAML.
/// <code>
/// var pipeline = Pipeline.Create("quickstart").Seed(42)
///     .Stage("ingest", "ingest", s => s.Input("source", "data/adult.csv").With("format", "csv"))
///     .Stage("split", "split", s => s.Input("table", "ingest.table").With("stratify_by", "income"))
///     .Build();
/// </code>
/// </summary>
public sealed class Pipeline
{
    private readonly string _name;
    private readonly List<StageDefinition> _stages = [];
    private readonly JsonObject _params = new();
    private long _seed;
    private string? _baseDirectory;

    private Pipeline(string name) => _name = name;

    /// <summary>Starts a pipeline definition.</summary>
    public static Pipeline Create(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Pipeline(name);
    }

    /// <summary>Sets the pipeline seed.</summary>
    public Pipeline Seed(long seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>Sets a param at a dotted path (for records; C# stages take values directly).</summary>
    public Pipeline Param(string dottedPath, object? value)
    {
        ParamsTree.Set(_params, dottedPath, StageBuilder.ToNode(value));
        return this;
    }

    /// <summary>The directory relative input paths resolve against (default: the current directory).</summary>
    public Pipeline BaseDirectory(string directory)
    {
        _baseDirectory = Path.GetFullPath(directory);
        return this;
    }

    /// <summary>Adds a stage by kind name (or CLR type name).</summary>
    public Pipeline Stage(string id, string uses, Action<StageBuilder>? configure = null)
    {
        var builder = new StageBuilder(id, uses);
        configure?.Invoke(builder);
        _stages.Add(builder.Build());
        return this;
    }

    /// <summary>Adds a user stage by type; it is referenced by its full type name.</summary>
    public Pipeline Stage<TStage>(string id, Action<StageBuilder>? configure = null) where TStage : IStage, new() =>
        Stage(id, typeof(TStage).FullName!, configure);

    /// <summary>Adds a stage with a typed options object (serialised with snake_case names).</summary>
    public Pipeline Stage<TOptions>(string id, string uses, TOptions options, Action<StageBuilder>? configure = null) where TOptions : class =>
        Stage(id, uses, s =>
        {
            s.With(OptionsBinder.ToJson(options));
            configure?.Invoke(s);
        });

    /// <summary>The finished definition.</summary>
    public PipelineDefinition Build() =>
        new(_name, _seed, (JsonObject)_params.DeepClone(), _stages.ToArray(), sourcePath: null, baseDirectory: _baseDirectory);
}
