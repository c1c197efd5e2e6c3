namespace Pipelines.Core.Definition;

/// <summary>
/// A YAML node that keeps its line and, unlike YamlDotNet's representation model, duplicate mapping keys
/// (so a duplicate stage id is reported with the others instead of aborting the parse).
/// </summary>
internal abstract record YamlNode(SourceLocation Location);

internal sealed record YamlScalar(SourceLocation Location, string Value, bool Quoted) : YamlNode(Location)
{
    public bool IsNull => !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed record YamlSequence(SourceLocation Location, IReadOnlyList<YamlNode> Items) : YamlNode(Location);

internal sealed record YamlMapping(SourceLocation Location, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries) : YamlNode(Location)
{
    public YamlNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;
}
