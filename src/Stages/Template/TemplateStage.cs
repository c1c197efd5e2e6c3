using System.Globalization;
using System.Text;
using FluentValidation;
using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Template;

/// <summary>
/// <c>template</c>: writes a text column filled from each row's values, e.g. to serialise tabular records into
/// sentences for a language model (<c>"age {age}, {education}, works {hours_per_week} h/week"</c>). Streams row groups.
/// </summary>
public sealed class TemplateStage : Stage<TemplateOptions>
{
    /// <inheritdoc />
    public override string Kind => "template";

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } = [new("table", ArtifactKind.Table)];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } = [new("table", ArtifactKind.Table)];

    // Built on first use: its rules compile expressions, and a run validates only the kinds its pipeline uses.
    private IValidator<TemplateOptions>? _validator;

    /// <inheritdoc />
    protected override IValidator<TemplateOptions> Validator => _validator ??= new TemplateOptionsValidator();

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, TemplateOptions options, CancellationToken cancellationToken)
    {
        await using var reader = await context.OpenTableAsync("table", cancellationToken);
        var parts = Parse(options.Template);
        var unknown = parts.Where(p => p.IsColumn && reader.Schema.IndexOf(p.Text) < 0).Select(p => p.Text).Distinct().ToArray();
        if (unknown.Length > 0)
            throw new UserInputException($"stage '{context.StageId}': the template names column(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} that the table lacks. Columns: {string.Join(", ", reader.Schema.Columns.Select(c => c.Name))}.");
        var kept = reader.Schema.Columns.Where(c => c.Name != options.Column).ToArray();
        var schema = new TableSchema(kept.Append(new ColumnSchema(options.Column, ColumnType.String, Nullable: false)));
        var indices = parts.Select(p => p.IsColumn ? reader.Schema.IndexOf(p.Text) : -1).ToArray();
        await using var writer = await context.CreateTableAsync("table", schema, cancellationToken);
        long rows = 0;
        var text = new StringBuilder();
        await foreach (var batch in reader.ReadBatchesAsync(cancellationToken))
        {
            var output = new string?[batch.RowCount];
            for (int r = 0; r < batch.RowCount; r++)
            {
                text.Clear();
                for (int p = 0; p < parts.Count; p++)
                    text.Append(indices[p] < 0 ? parts[p].Text : Format(batch.Column(indices[p]).GetValue(r), options.NullText));
                output[r] = text.ToString();
            }
            var columns = kept.Select(c => batch.Column(batch.Schema.IndexOf(c.Name))).Append(output).ToArray();
            await writer.WriteBatchAsync(new TableBatch(schema, batch.RowCount, columns), cancellationToken);
            rows += batch.RowCount;
        }
        if (rows == 0) await writer.WriteBatchAsync(TableBatch.Empty(schema), cancellationToken);
        context.Summary["rows"] = rows;
    }

    private static string Format(object? value, string nullText) => value switch
    {
        null => nullText,
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Splits a template into literal text and column placeholders.</summary>
    internal static IReadOnlyList<(bool IsColumn, string Text)> Parse(string template)
    {
        var parts = new List<(bool, string)>();
        var literal = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c) { literal.Append(c); i++; continue; }
            if (c == '}') throw new UserInputException($"the template has an unmatched '}}' at position {i + 1}; write '}}}}' for a literal brace.");
            if (c != '{') { literal.Append(c); continue; }
            int close = template.IndexOf('}', i + 1);
            if (close < 0) throw new UserInputException($"the template has an unclosed '{{' at position {i + 1}.");
            if (literal.Length > 0) { parts.Add((false, literal.ToString())); literal.Clear(); }
            parts.Add((true, template[(i + 1)..close].Trim()));
            i = close;
        }
        if (literal.Length > 0) parts.Add((false, literal.ToString()));
        return parts;
    }
}

/// <summary>Checks <see cref="TemplateOptions"/>.</summary>
internal sealed class TemplateOptionsValidator : AbstractValidator<TemplateOptions>
{
    public TemplateOptionsValidator()
    {
        RuleFor(o => o.Template).NotEmpty();
        RuleFor(o => o.Column).NotEmpty();
        RuleFor(o => o.Template).Custom((template, context) =>
        {
            try { TemplateStage.Parse(template ?? ""); }
            catch (UserInputException ex) { context.AddFailure("template", "'template': " + ex.Message); }
        });
    }
}
