using System.Globalization;
using System.Text.RegularExpressions;
using Pipelines.Core.Tables;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipelines.Core.Schemas;

/// <summary>
/// Loads <c>data-schemas/*.yaml</c>:
/// <code>
/// name: adult
/// rows: {min: 1000}
/// columns:
///   age: {type: int, nullable: false, min: 17, max: 90}
///   income: {type: string, allowed: ["&lt;=50K", "&gt;50K"]}
/// </code>
/// Every problem is reported with its line.
/// </summary>
public static class DataSchemaLoader
{
    private static readonly string[] ColumnKeys = ["type", "nullable", "min", "max", "allowed", "pattern", "unique", "max_length", "description"];
    private static readonly string[] TopLevelKeys = ["name", "description", "license", "source", "rows", "extra_columns", "columns"];
    private static readonly string[] RowKeys = ["min", "max"];

    /// <summary>Loads a schema file or throws <see cref="UserInputException"/> listing every problem.</summary>
    public static DataSchema Load(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path}: data-schema file not found.");
        var problems = new List<string>();
        var stream = new YamlStream();
        try
        {
            string text = File.ReadAllText(path);
            Definition.YamlNodeReader.CheckFlowDepth(text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new UserInputException($"{path}:{ex.Start.Line}: invalid YAML: {ex.InnerException?.Message ?? ex.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new UserInputException($"{path}: a data-schema must be a mapping with 'columns'.");

        foreach (var (keyNode, _) in root.Children)
        {
            string key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!TopLevelKeys.Contains(key))
                problems.Add($"{path}:{keyNode.Start.Line}: unknown key '{key}'.{Definition.Suggest.DidYouMean(key, TopLevelKeys)} Keys: {string.Join(", ", TopLevelKeys)}.");
        }
        string name = Scalar(root, "name") ?? Path.GetFileNameWithoutExtension(path);
        long? minRows = null, maxRows = null;
        if (Child(root, "rows") is YamlMappingNode rows)
        {
            string at = $"{path}:{rows.Start.Line}";
            foreach (var (keyNode, _) in rows.Children)
                if (((YamlScalarNode)keyNode).Value is { } key && !RowKeys.Contains(key))
                    problems.Add($"{path}:{keyNode.Start.Line}: 'rows': unknown key '{key}'.{Definition.Suggest.DidYouMean(key, RowKeys)} Keys: min, max.");
            minRows = Long(rows, "min", at, problems);
            maxRows = Long(rows, "max", at, problems);
            if (minRows > maxRows) problems.Add($"{at}: 'rows': min {minRows} is greater than max {maxRows}; no table can satisfy both.");
        }
        bool allowExtra = true;
        if (Child(root, "extra_columns") is { } extraNode)
        {
            string? extra = Scalar(root, "extra_columns");
            if (extra is "true" or "false") allowExtra = extra == "true";
            else problems.Add($"{path}:{extraNode.Start.Line}: 'extra_columns' must be true or false.");
        }
        var columns = new List<DataSchemaColumn>();
        if (Child(root, "columns") is not YamlMappingNode columnNodes)
            problems.Add($"{path}:{root.Start.Line}: 'columns' must be a mapping of column names to rules.");
        else
        {
            foreach (var (keyNode, valueNode) in columnNodes.Children)
            {
                string column = ((YamlScalarNode)keyNode).Value ?? "";
                string at = $"{path}:{keyNode.Start.Line}";
                if (valueNode is YamlScalarNode typeOnly)
                {
                    if (ColumnSchema.TryParseType(typeOnly.Value, out var t)) columns.Add(new DataSchemaColumn { Name = column, Type = t });
                    else problems.Add($"{at}: column '{column}': unknown type '{typeOnly.Value}' (bool, int, double, string or timestamp).");
                    continue;
                }
                if (valueNode is not YamlMappingNode rules)
                {
                    problems.Add($"{at}: column '{column}' must be a type or a mapping of rules.");
                    continue;
                }
                foreach (var (ruleKey, _) in rules.Children)
                {
                    string rule = ((YamlScalarNode)ruleKey).Value ?? "";
                    if (!ColumnKeys.Contains(rule))
                        problems.Add($"{path}:{ruleKey.Start.Line}: column '{column}': unknown rule '{rule}'.{Definition.Suggest.DidYouMean(rule, ColumnKeys)} Rules: {string.Join(", ", ColumnKeys)}.");
                }
                if (!ColumnSchema.TryParseType(Scalar(rules, "type"), out var type))
                {
                    problems.Add($"{at}: column '{column}': 'type' must be bool, int, double, string or timestamp{(Scalar(rules, "type") is { } bad ? $", not '{bad}'" : "")}.");
                    continue;
                }
                string? pattern = Scalar(rules, "pattern");
                if (pattern is not null)
                {
                    try { _ = new Regex(pattern); }
                    catch (ArgumentException ex) { problems.Add($"{at}: column '{column}': 'pattern' is not a valid regular expression ({ex.Message})."); }
                }
                double? min = Double(rules, "min", at, column, problems), max = Double(rules, "max", at, column, problems);
                if (min > max) problems.Add($"{at}: column '{column}': min {Format(min.Value)} is greater than max {Format(max.Value)}; no value can satisfy both.");
                var maxLength = (int?)Long(rules, "max_length", at, problems);
                if (maxLength < 0) problems.Add($"{at}: column '{column}': 'max_length' must be 0 or more, not {maxLength}.");
                columns.Add(new DataSchemaColumn
                {
                    Name = column,
                    Type = type,
                    Nullable = Scalar(rules, "nullable") is not { } n || n != "false",
                    Min = min,
                    Max = max,
                    Allowed = Child(rules, "allowed") is YamlSequenceNode seq ? seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToArray() : null,
                    Pattern = pattern,
                    Unique = Scalar(rules, "unique") == "true",
                    MaxLength = maxLength,
                });
            }
        }
        if (problems.Count > 0) throw new UserInputException(string.Join(Environment.NewLine, problems));
        return new DataSchema(name, columns, minRows, maxRows, allowExtra, path);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => Child(node, key) is YamlScalarNode s ? s.Value : null;

    private static long? Long(YamlMappingNode node, string key, string at, List<string> problems)
    {
        if (Scalar(node, key) is not { } text) return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)) return v;
        problems.Add($"{at}: '{key}' must be an integer, not '{text}'.");
        return null;
    }

    private static double? Double(YamlMappingNode node, string key, string at, string column, List<string> problems)
    {
        if (Scalar(node, key) is not { } text) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
        problems.Add($"{at}: column '{column}': '{key}' must be a number, not '{text}'.");
        return null;
    }
}
