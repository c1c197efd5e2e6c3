namespace Pipelines.Core;

/// <summary>
/// Maps stage kinds (<c>dedup</c>) to stage instances. A <c>uses:</c> that names no registered kind is tried as
/// a CLR type name implementing <see cref="IStage"/> (user stages).
/// </summary>
public sealed class StageRegistry
{
    private readonly Dictionary<string, IStage> _byKind = new(StringComparer.Ordinal);

    /// <summary>Registers a stage; a second stage of the same kind is a programming error.</summary>
    public StageRegistry Add(IStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (!_byKind.TryAdd(stage.Kind, stage))
            throw new InvalidOperationException($"Stage kind '{stage.Kind}' is registered twice ({_byKind[stage.Kind].GetType().FullName} and {stage.GetType().FullName}).");
        return this;
    }

    /// <summary>Registers many stages.</summary>
    public StageRegistry AddRange(IEnumerable<IStage> stages)
    {
        foreach (var stage in stages) Add(stage);
        return this;
    }

    /// <summary>The registered kinds, sorted.</summary>
    public IReadOnlyList<string> Kinds => _byKind.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Finds a stage by kind or by CLR type name; null when neither matches.</summary>
    public IStage? Resolve(string uses)
    {
        if (_byKind.TryGetValue(uses, out var stage)) return stage;
        var type = FindType(uses);
        if (type is null || !typeof(IStage).IsAssignableFrom(type) || type.IsAbstract) return null;
        lock (_byKind)
        {
            var created = (IStage)Activator.CreateInstance(type)!;
            _byKind.TryAdd(uses, created);
            _byKind.TryAdd(created.Kind, created); // executors look stages up by kind
            return created;
        }
    }

    private static Type? FindType(string name)
    {
        try
        {
            if (Type.GetType(name, throwOnError: false) is { } direct) return direct;
        }
        catch (Exception ex) when (ex is FileLoadException or BadImageFormatException or ArgumentException)
        {
            return null;
        }
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic) continue;
            if (assembly.GetType(name, throwOnError: false) is { } type) return type;
        }
        return null;
    }
}
