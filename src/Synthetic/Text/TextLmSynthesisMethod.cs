using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Pipelines.Core;
using Pipelines.Core.Definition;
using Pipelines.Synthetic.Text.Internal;

namespace Pipelines.Synthetic.Text;

/// <summary>
/// The <c>synthesize</c> stage's <c>text-lm</c> method: text augmentation with a causal language model. Without a
/// <c>generator</c> input it trains a <see cref="TinyLm"/> on the text column of the rows that match the
/// <c>conditions</c> (so <c>{label: spam}</c> learns and augments the spam rows only) and saves it as the stage's
/// <c>model</c>; with one it loads that ONNX model. Each generated row continues the prompt filled from a seed row
/// (drawn with the seed) and copies the seed row's other columns, so labels are kept.
/// </summary>
public sealed class TextLmSynthesisMethod : ISynthesisMethod
{
    /// <summary>The <c>method:</c> value.</summary>
    public const string MethodName = "text-lm";

    /// <summary>What the method writes into the model directory beside the model files.</summary>
    public const string ManifestFileName = "text_lm.json";

    private static readonly TextLmOptionsValidator Validator = new();

    /// <inheritdoc />
    public string Name => MethodName;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> LibraryVersions { get; } = SynthesisLibraries.Neural;

    /// <inheritdoc />
    public IEnumerable<string> Validate(SynthesizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Balance is not null)
        {
            problems.Add("'balance' is not supported by method 'text-lm': use 'conditions' (e.g. {label: spam}) and 'rows'.");
        }

        if (options.TextLm is null)
        {
            problems.Add("method 'text-lm' needs a 'text_lm' mapping with at least 'text_column'.");
            return problems;
        }

        var bound = Bind(options.TextLm, problems);
        if (bound is not null)
        {
            problems.AddRange(Validator.Validate(bound).Errors.Select(e => e.ErrorMessage));
        }

        return problems;
    }

    /// <inheritdoc />
    public async Task<ColumnTable> GenerateAsync(SynthesisRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        var options = request.Options.TextLm is { } json ? Bind(json, problems) : null;
        if (options is null || problems.Count > 0)
        {
            throw new ArgumentException(problems.Count > 0 ? string.Join(Environment.NewLine, problems) : "method 'text-lm' needs a 'text_lm' mapping with at least 'text_column'.");
        }

        var table = request.Table;
        var text = CheckTextColumn(table, options.TextColumn);
        var template = PromptTemplate.Parse(options.Template);
        try
        {
            template.Validate(table.Columns.Select(c => c.Name));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("'text_lm.template': " + e.Message, e);
        }

        var conditions = TextLmConditions.Parse(request.Options.Conditions, table);
        var copied = CopiedColumns(table, options, conditions.Columns);
        int[] matching = conditions.MatchingRows(table);
        int rows = request.Options.Rows ?? matching.Length;
        int[] seedRows = DrawSeedRows(matching, rows, SeededRandom.Derive(request.Seed, 2));

        using var generator = request.GeneratorPath is { } pretrained
            ? LoadPretrained(pretrained, request.ModelDirectory, options)
            : Train(request, options, template, text, matching, cancellationToken);

        request.Progress.Report(new StageProgress(1, 2, $"generating {rows} texts"));
        var watch = Stopwatch.StartNew();
        var prompts = new string[rows];
        var placeholders = template.Placeholders.Distinct(StringComparer.Ordinal).Select(p => table[p]).ToArray();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < rows; i++)
        {
            foreach (var column in placeholders)
            {
                values[column.Name] = Format(column.GetValue(seedRows[i]));
            }

            prompts[i] = template.Fill(values, seedRows[i]);
        }

        var texts = await Task.Run(() => generator.Generate(prompts, options.Generate, SeededRandom.Derive(request.Seed, 3), cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        request.Logger.LogInformation("Generated {Rows} texts in {Seconds:0.00} s ({Empty} empty)",
            rows, watch.Elapsed.TotalSeconds, texts.Count(string.IsNullOrEmpty));
        request.Progress.Report(new StageProgress(2, 2, $"generated {rows} texts"));
        return Assemble(table, seedRows, text.Name, texts, copied);
    }

    private static TextLmOptions? Bind(JsonObject json, List<string> problems)
    {
        // Re-parse: the stage's options own this node, and binding must not attach it elsewhere.
        var copy = JsonNode.Parse(json.ToJsonString())!.AsObject();
        return OptionsBinder.Bind(typeof(TextLmOptions), copy, (_, messages) => "text_lm: " + string.Join(" ", messages), problems) as TextLmOptions;
    }

    private static TableColumn CheckTextColumn(ColumnTable table, string name)
    {
        if (table.IndexOf(name) < 0)
        {
            throw new ArgumentException(
                $"'text_lm.text_column' names unknown column '{name}'. The table has: {string.Join(", ", table.Columns.Select(c => c.Name))}.");
        }

        var column = table[name];
        if (column.Storage != ColumnStorage.String)
        {
            throw new ArgumentException(
                $"'text_lm.text_column' is '{name}', a {column.Storage.ToString().ToLowerInvariant()} column; text-lm generates text, so name a String column.");
        }

        return column;
    }

    private static HashSet<string> CopiedColumns(ColumnTable table, TextLmOptions options, IEnumerable<string> conditionColumns)
    {
        var copied = new HashSet<string>(options.CopyColumns ?? table.Columns.Select(c => c.Name), StringComparer.Ordinal);
        foreach (string name in copied.Order(StringComparer.Ordinal))
        {
            if (table.IndexOf(name) < 0)
            {
                throw new ArgumentException(
                    $"'text_lm.copy_columns' names unknown column '{name}'. The table has: {string.Join(", ", table.Columns.Select(c => c.Name))}.");
            }
        }

        // A generated row must keep the values it was conditioned on; the text column is generated, never copied.
        copied.UnionWith(conditionColumns);
        copied.Remove(options.TextColumn);
        return copied;
    }

    /// <summary>Seed rows in shuffled passes over the matching rows: every row is used before any is used twice.</summary>
    private static int[] DrawSeedRows(int[] matching, int rows, long seed)
    {
        var rng = new SplitMix64(seed);
        var pass = (int[])matching.Clone();
        var result = new int[rows];
        for (int filled = 0; filled < rows;)
        {
            for (int i = pass.Length - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (pass[i], pass[j]) = (pass[j], pass[i]);
            }

            int take = Math.Min(pass.Length, rows - filled);
            Array.Copy(pass, 0, result, filled, take);
            filled += take;
        }

        return result;
    }

    private static OnnxCausalLmGenerator Train(SynthesisRequest request, TextLmOptions options, PromptTemplate template,
        TableColumn text, int[] matching, CancellationToken cancellationToken)
    {
        if (options.Generate.MaxNewTokens >= options.Train.ContextLength)
        {
            throw new ArgumentException(
                $"'text_lm.generate.max_new_tokens' must be below 'text_lm.train.context_length' ({options.Train.ContextLength}) to leave room for the prompt. You entered {options.Generate.MaxNewTokens}.");
        }

        // The model learns each filled prompt followed by its text, so the prompt alone later leads into such a text.
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var placeholders = template.Placeholders.Distinct(StringComparer.Ordinal).Select(p => request.Table[p]).ToArray();
        var training = new List<string>(matching.Length);
        foreach (int row in matching)
        {
            if (text.GetValue(row) is not string body || body.Length == 0)
            {
                continue;
            }

            foreach (var column in placeholders)
            {
                values[column.Name] = Format(column.GetValue(row));
            }

            training.Add(template.Fill(values, row) + body);
        }

        if (training.Count == 0)
        {
            throw new ArgumentException($"Column '{text.Name}' has no non-empty text in the rows to learn from.");
        }

        request.Progress.Report(new StageProgress(0, 2, $"training a tiny language model on {training.Count} texts"));
        var watch = Stopwatch.StartNew();
        var progress = new Progress<TinyLmProgress>(p =>
        {
            if (p.Step % 50 == 0 || p.Step == p.TotalSteps)
            {
                request.Progress.Report(new StageProgress(0, 2, string.Create(CultureInfo.InvariantCulture, $"training step {p.Step}/{p.TotalSteps}, loss {p.Loss:0.000}")));
            }
        });
        using (var model = TinyLmTrainer.Train(training, options.Train, SeededRandom.Derive(request.Seed, 1), progress, cancellationToken))
        {
            model.Save(request.ModelDirectory);
            double finalLoss = model.LossHistory.Count > 0 ? model.LossHistory[^1] : double.NaN;
            request.Logger.LogInformation("Trained a tiny language model ({Parameters} weights) on {Texts} texts in {Seconds:0.00} s; final loss {Loss:0.000}",
                model.ParameterCount, training.Count, watch.Elapsed.TotalSeconds, finalLoss);
            WriteManifest(request.ModelDirectory, options, "trained", training.Count, finalLoss);
        }

        return OnnxCausalLmGenerator.Load(request.ModelDirectory, SingleThreaded());
    }

    private static OnnxCausalLmGenerator LoadPretrained(string directory, string modelDirectory, TextLmOptions options)
    {
        if (!Directory.Exists(directory))
        {
            throw new ArgumentException($"The 'generator' input '{directory}' is not a model directory.");
        }

        OnnxCausalLmGenerator generator;
        try
        {
            generator = OnnxCausalLmGenerator.Load(directory, SingleThreaded());
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw new ArgumentException($"The 'generator' input cannot be used: {e.Message}", e);
        }

        // The model output holds the generator too, so it can be reused on its own.
        foreach (string file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            File.Copy(file, Path.Combine(modelDirectory, Path.GetFileName(file)), overwrite: true);
        }

        WriteManifest(modelDirectory, options, "generator", 0, double.NaN);

        return generator;
    }

    // One intra-op thread: the tiny models gain nothing from more, and the logits cannot then depend on the core count.
    private static SessionOptions SingleThreaded() => new() { IntraOpNumThreads = 1, InterOpNumThreads = 1 };

    private static void WriteManifest(string directory, TextLmOptions options, string source, int texts, double finalLoss)
    {
        var manifest = new JsonObject
        {
            ["method"] = MethodName,
            ["source"] = source,
            ["text_column"] = options.TextColumn,
            ["template"] = options.Template,
            ["training_texts"] = texts,
            ["final_loss"] = double.IsFinite(finalLoss) ? Math.Round(finalLoss, 6) : null,
        };
        File.WriteAllText(Path.Combine(directory, ManifestFileName), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), new UTF8Encoding(false));
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static ColumnTable Assemble(ColumnTable table, int[] seedRows, string textColumn, IReadOnlyList<string> texts, HashSet<string> copied)
    {
        var seeds = table.Take(seedRows);
        return new ColumnTable(seeds.Columns.Select(c =>
            c.Name == textColumn ? TableColumn.FromStrings(c.Name, [.. texts])
            : copied.Contains(c.Name) ? c
            : TableColumn.FromArray(c.Name, Array.CreateInstance(c.Values.GetType().GetElementType()!, seedRows.Length))));
    }
}
