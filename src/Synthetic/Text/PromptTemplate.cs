using System.Text;

namespace Pipelines.Synthetic.Text;

/// <summary>
/// A prompt with <c>{column}</c> placeholders filled from a row, e.g. <c>"Rewrite this {label} ticket: {text}"</c>.
/// <c>{{</c> and <c>}}</c> stand for literal braces. Parsed once; filling is a single pass.
/// </summary>
public sealed class PromptTemplate
{
    private readonly string[] _literals;
    private readonly string[] _placeholders;

    private PromptTemplate(string text, string[] literals, string[] placeholders)
    {
        Text = text;
        _literals = literals;
        _placeholders = placeholders;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Placeholder names in order of appearance (repeats kept).</summary>
    public IReadOnlyList<string> Placeholders => _placeholders;

    /// <summary>Parses <paramref name="template"/>.</summary>
    /// <exception cref="ArgumentException">An unclosed or empty placeholder, or a lone <c>}</c>.</exception>
    public static PromptTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var literals = new List<string>();
        var placeholders = new List<string>();
        var literal = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                literal.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                literal.Append('}');
                i++;
            }
            else if (c == '{')
            {
                int close = template.IndexOf('}', i + 1);
                if (close < 0)
                {
                    throw new ArgumentException($"The prompt template has an unclosed '{{' at character {i + 1}: \"{template}\". Write '{{{{' for a literal brace.", nameof(template));
                }

                string name = template[(i + 1)..close].Trim();
                if (name.Length == 0 || name.Contains('{', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"The prompt template has an empty or malformed placeholder at character {i + 1}: \"{template}\".", nameof(template));
                }

                literals.Add(literal.ToString());
                literal.Clear();
                placeholders.Add(name);
                i = close;
            }
            else if (c == '}')
            {
                throw new ArgumentException($"The prompt template has a '}}' without a matching '{{' at character {i + 1}: \"{template}\". Write '}}}}' for a literal brace.", nameof(template));
            }
            else
            {
                literal.Append(c);
            }
        }

        literals.Add(literal.ToString());
        return new PromptTemplate(template, [.. literals], [.. placeholders]);
    }

    /// <summary>Checks that every placeholder names one of <paramref name="columns"/>.</summary>
    /// <exception cref="ArgumentException">Names the first unknown placeholder and lists the columns.</exception>
    public void Validate(IEnumerable<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var known = new HashSet<string>(columns, StringComparer.Ordinal);
        foreach (string name in _placeholders)
        {
            if (!known.Contains(name))
            {
                throw new ArgumentException(
                    $"The prompt template uses '{{{name}}}', but there is no column '{name}'. Columns: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
        }
    }

    /// <summary>Fills the placeholders from <paramref name="row"/> (null values become empty text).</summary>
    /// <param name="row">Column name to value.</param>
    /// <param name="rowIndex">Used in the error message only.</param>
    /// <exception cref="ArgumentException">A placeholder has no value in the row.</exception>
    public string Fill(IReadOnlyDictionary<string, string?> row, int rowIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(row);
        var builder = new StringBuilder(Text.Length + 64);
        for (int i = 0; i < _placeholders.Length; i++)
        {
            builder.Append(_literals[i]);
            if (!row.TryGetValue(_placeholders[i], out string? value))
            {
                throw new ArgumentException(
                    $"Row {rowIndex} has no column '{_placeholders[i]}' for the prompt template's '{{{_placeholders[i]}}}'. Columns: {string.Join(", ", row.Keys.Order(StringComparer.Ordinal))}.",
                    nameof(row));
            }

            builder.Append(value);
        }

        builder.Append(_literals[^1]);
        return builder.ToString();
    }
}
