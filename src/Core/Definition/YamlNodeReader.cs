using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Pipelines.Core.Definition;

/// <summary>Reads YAML text into <see cref="YamlNode"/>s with line numbers, using YamlDotNet's parser.</summary>
internal static class YamlNodeReader
{
    /// <summary>
    /// Nodes a document may hold once its aliases are expanded: a few aliases of aliases ("billion laughs") would
    /// otherwise expand to gigabytes when the tree is converted to JSON.
    /// </summary>
    public const long NodeBudget = 100_000;

    /// <summary>
    /// Flow brackets (<c>[</c>, <c>{</c>) a document may open inside each other. YamlDotNet parses them recursively,
    /// so 100,000 of them overflow the stack and kill the process, which no handler can catch.
    /// </summary>
    public const int MaxFlowDepth = 512;

    public static YamlNode? Read(string text, string file)
    {
        CheckFlowDepth(text);
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

    /// <summary>
    /// Throws past <see cref="MaxFlowDepth"/> open brackets. Quotes are not parsed: a false alarm would need hundreds
    /// of unbalanced brackets inside quoted text, while a real bomb is refused before the parser recurses.
    /// </summary>
    public static void CheckFlowDepth(string text)
    {
        int depth = 0, line = 1, column = 0;
        foreach (char c in text)
        {
            column++;
            if (c == '\n') { line++; column = 0; }
            else if (c is '[' or '{')
            {
                if (++depth > MaxFlowDepth)
                {
                    var at = new Mark(0, line, column);
                    throw new YamlException(at, at, $"brackets nested more than {MaxFlowDepth} deep; flatten the value.");
                }
            }
            else if (c is ']' or '}' && depth > 0) depth--;
        }
    }

    private static YamlNode? ReadDocument(Parser parser, string file)
    {
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _)) return null;
        parser.Consume<DocumentStart>();
        var anchors = new Dictionary<string, (YamlNode Node, long Size)>(StringComparer.Ordinal);
        long total = 0;
        var (root, _) = ReadNode(parser, file, anchors, ref total);
        parser.Consume<DocumentEnd>();
        if (!parser.Accept<StreamEnd>(out _))
            throw new YamlException(parser.Current!.Start, parser.Current.End, "Only one YAML document is allowed in a pipeline file.");
        return root;
    }

    /// <summary>Reads one node; <paramref name="total"/> counts the nodes of the expanded document.</summary>
    private static (YamlNode Node, long Size) ReadNode(IParser parser, string file, Dictionary<string, (YamlNode Node, long Size)> anchors, ref long total)
    {
        var location = new SourceLocation(file, (int)parser.Current!.Start.Line, (int)parser.Current.Start.Column);
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
                throw new YamlException(alias.Start, alias.End, $"Unknown anchor '*{alias.Value}'.");
            total += target.Size;
            if (total > NodeBudget)
                throw new YamlException(alias.Start, alias.End, $"alias '*{alias.Value}' expands the document past {NodeBudget:N0} nodes; aliases may not multiply the document.");
            return target;
        }
        total++;
        long size = 1;
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
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                var (item, itemSize) = ReadNode(parser, file, anchors, ref total);
                items.Add(item);
                size += itemSize;
            }
            node = new YamlSequence(location, items);
            anchor = seqStart.Anchor.IsEmpty ? null : seqStart.Anchor.Value;
        }
        else if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var (keyNode, keySize) = ReadNode(parser, file, anchors, ref total);
                if (keyNode is not YamlScalar key)
                    throw new YamlException(parser.Current!.Start, parser.Current.End, "Mapping keys must be plain scalars.");
                var (value, valueSize) = ReadNode(parser, file, anchors, ref total);
                entries.Add(new(key, value));
                size += keySize + valueSize;
            }
            node = new YamlMapping(location, entries);
            anchor = mapStart.Anchor.IsEmpty ? null : mapStart.Anchor.Value;
        }
        else
        {
            throw new YamlException(parser.Current.Start, parser.Current.End, $"Unexpected YAML event {parser.Current.GetType().Name}.");
        }
        if (anchor is not null) anchors[anchor] = (node, size);
        return (node, size);
    }
}
