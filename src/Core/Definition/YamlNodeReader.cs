using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Pipelines.Core.Definition;

/// <summary>Reads YAML text into <see cref="YamlNode"/>s with line numbers, using YamlDotNet's parser.</summary>
internal static class YamlNodeReader
{
    public static YamlNode? Read(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            return ReadDocument(parser, file);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this for some malformed input; report where the parser stood.
            var at = parser.Current?.End ?? Mark.Empty;
            throw new YamlException(at, at, $"malformed YAML ({ex.Message})");
        }
    }

    private static YamlNode? ReadDocument(Parser parser, string file)
    {
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _)) return null;
        parser.Consume<DocumentStart>();
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var root = ReadNode(parser, file, anchors);
        parser.Consume<DocumentEnd>();
        if (!parser.Accept<StreamEnd>(out _))
            throw new YamlException(parser.Current!.Start, parser.Current.End, "Only one YAML document is allowed in a pipeline file.");
        return root;
    }

    private static YamlNode ReadNode(IParser parser, string file, Dictionary<string, YamlNode> anchors)
    {
        var location = new SourceLocation(file, (int)parser.Current!.Start.Line, (int)parser.Current.Start.Column);
        if (parser.TryConsume<AnchorAlias>(out var alias))
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new YamlException(alias.Start, alias.End, $"Unknown anchor '*{alias.Value}'.");
        YamlNode node;
        string? anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            node = new YamlScalar(location, scalar.Value, scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded);
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
        }
        else if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var items = new List<YamlNode>();
            while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(ReadNode(parser, file, anchors));
            node = new YamlSequence(location, items);
            anchor = seqStart.Anchor.IsEmpty ? null : seqStart.Anchor.Value;
        }
        else if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser, file, anchors);
                if (keyNode is not YamlScalar key)
                    throw new YamlException(parser.Current!.Start, parser.Current.End, "Mapping keys must be plain scalars.");
                entries.Add(new(key, ReadNode(parser, file, anchors)));
            }
            node = new YamlMapping(location, entries);
            anchor = mapStart.Anchor.IsEmpty ? null : mapStart.Anchor.Value;
        }
        else
        {
            throw new YamlException(parser.Current.Start, parser.Current.End, $"Unexpected YAML event {parser.Current.GetType().Name}.");
        }
        if (anchor is not null) anchors[anchor] = node;
        return node;
    }
}
