using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipelines.Core;

namespace Pipelines.Synthetic;

/// <summary>
/// Adapts an <see cref="ISynthesizer"/> to the stage: fit on the table, save into the model
/// directory, then sample <c>rows</c>, rows under <c>conditions</c>, or the rows <c>balance</c> needs.
/// </summary>
public sealed class TabularSynthesisMethod : ISynthesisMethod
{
    private readonly Func<SynthesizeOptions, ISynthesizer> _create;
    private readonly Func<SynthesizeOptions, IEnumerable<string>> _validate;

    /// <summary>Creates the method.</summary>
    /// <param name="name">The <c>method:</c> value.</param>
    /// <param name="create">Makes an unfitted synthesizer from the stage options.</param>
    /// <param name="validate">Checks the method's own options.</param>
    /// <param name="libraryVersions">Libraries the output depends on.</param>
    public TabularSynthesisMethod(string name, Func<SynthesizeOptions, ISynthesizer> create,
        Func<SynthesizeOptions, IEnumerable<string>> validate, IReadOnlyDictionary<string, string> libraryVersions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _create = create;
        _validate = validate;
        LibraryVersions = libraryVersions;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> LibraryVersions { get; }

    /// <inheritdoc />
    public IEnumerable<string> Validate(SynthesizeOptions options) => _validate(options);

    /// <inheritdoc />
    public Task<ColumnTable> GenerateAsync(SynthesisRequest request, CancellationToken cancellationToken) =>
        Task.Run(() => Generate(request, cancellationToken), cancellationToken);

    private ColumnTable Generate(SynthesisRequest request, CancellationToken cancellationToken)
    {
        var options = request.Options;
        var table = request.Table;
        var conditions = ToConditions(options.Conditions, table);
        if (options.Balance is { } balance && table.IndexOf(balance.Column) < 0)
        {
            GroupBalancer.Plan(table, balance.Column); // throws the unknown-column error
        }

        ISynthesizer synthesizer = _create(options);
        if (request.Rules.Rules.Count > 0)
        {
            foreach (var rule in request.Rules.Rules)
            {
                request.Logger.LogInformation("Keeping {Origin} relation: {Rule}", rule.Detected ? "found" : "declared", rule.Describe());
            }

            synthesizer = new RuleKeepingSynthesizer(synthesizer, request.Rules);
        }

        try
        {
            return Generate(request, synthesizer, conditions, cancellationToken);
        }
        finally
        {
            (synthesizer as IDisposable)?.Dispose();
        }
    }

    private ColumnTable Generate(SynthesisRequest request, ISynthesizer synthesizer, List<ColumnCondition> conditions, CancellationToken cancellationToken)
    {
        var options = request.Options;
        var table = request.Table;
        var started = DateTime.UtcNow;
        request.Progress.Report(new StageProgress(0, 3, $"fitting {Name}"));
        synthesizer.Fit(table, SeededRandom.Derive(request.Seed, 1));
        request.Logger.LogInformation("Fitted {Method} on {Rows} rows × {Columns} columns in {Seconds:0.00} s",
            Name, table.RowCount, table.Columns.Count, (DateTime.UtcNow - started).TotalSeconds);
        cancellationToken.ThrowIfCancellationRequested();
        synthesizer.Save(request.ModelDirectory);
        request.Progress.Report(new StageProgress(1, 3, "sampling"));

        long sampleSeed = SeededRandom.Derive(request.Seed, 2);
        ColumnTable result;
        if (options.Balance is { } b)
        {
            var plan = GroupBalancer.Plan(table, b.Column, b.Targets);
            foreach (var quota in plan)
            {
                request.Logger.LogInformation("Balance {Column}={Value}: {Existing} real rows, target {Target}, {Needed} synthetic",
                    b.Column, quota.Value, quota.Existing, quota.Target, quota.Needed);
            }

            result = GroupBalancer.Sample(synthesizer, table, b.Column, plan, sampleSeed);
        }
        else
        {
            result = synthesizer.Sample(options.Rows ?? table.RowCount, sampleSeed, conditions);
        }

        request.Progress.Report(new StageProgress(2, 3, $"sampled {result.RowCount} rows"));
        return result;
    }

    private static List<ColumnCondition> ToConditions(Dictionary<string, JsonElement>? conditions, ColumnTable table)
    {
        var result = new List<ColumnCondition>();
        if (conditions is null)
        {
            return result;
        }

        foreach (var (column, value) in conditions.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (table.IndexOf(column) < 0)
            {
                throw new ArgumentException(
                    $"'conditions' names unknown column '{column}'. The table has: {string.Join(", ", table.Columns.Select(c => c.Name))}.");
            }

            object typed = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when value.TryGetInt64(out long l) => l,
                JsonValueKind.Number => value.GetDouble(),
                _ => throw new ArgumentException($"'conditions.{column}' must be a single value (text, number or true/false)."),
            };
            result.Add(new ColumnCondition(column, typed));
        }

        return result;
    }
}
