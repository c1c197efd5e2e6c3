namespace Pipelines.Synthetic.Text;

/// <summary>
/// Text augmentation for the <c>synthesize</c> stage's <c>text-lm</c> method: fills a prompt template from each
/// row and continues it with a causal language model. One output per input row, in row order.
/// </summary>
public static class TextAugmenter
{
    /// <summary>Generates one text per row.</summary>
    /// <param name="generator">The model (e.g. <see cref="OnnxCausalLmGenerator.Load"/> of a <see cref="TinyLm.Save"/> directory).</param>
    /// <param name="rows">Rows as column name to value.</param>
    /// <param name="template">Prompt template such as <c>"Rewrite this {label} ticket: {text}"</c>.</param>
    /// <param name="options">Decoding options.</param>
    /// <param name="seed">Same rows, template, options and seed give the same texts.</param>
    /// <param name="cancellationToken">Checked between decoding steps.</param>
    /// <exception cref="ArgumentException">Bad template, a placeholder that is not a column, or invalid options.</exception>
    public static Task<IReadOnlyList<string>> GenerateAsync(
        OnnxCausalLmGenerator generator,
        IReadOnlyList<IReadOnlyDictionary<string, string?>> rows,
        string template,
        TextGenerationOptions options,
        long seed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        var parsed = PromptTemplate.Parse(template);
        var prompts = new string[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            prompts[i] = parsed.Fill(rows[i] ?? throw new ArgumentException($"Row {i} is null.", nameof(rows)), i);
        }

        // Decoding is CPU-bound; run it off the caller's thread so a stage can report progress meanwhile.
        return Task.Run(() => generator.Generate(prompts, options, seed, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Trains a <see cref="TinyLm"/> on <paramref name="trainingTexts"/>, saves it to <paramref name="modelDirectory"/>
    /// (<c>model.onnx</c> + <c>char_tokenizer.json</c>) and generates one text per row with it: a text generator
    /// with no downloaded model.
    /// </summary>
    public static async Task<IReadOnlyList<string>> TrainAndGenerateAsync(
        IEnumerable<string?> trainingTexts,
        string modelDirectory,
        IReadOnlyList<IReadOnlyDictionary<string, string?>> rows,
        string template,
        TinyLmOptions trainingOptions,
        TextGenerationOptions generationOptions,
        long seed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainingTexts);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDirectory);
        PromptTemplate.Parse(template);
        await Task.Run(
            () =>
            {
                using var model = TinyLmTrainer.Train(trainingTexts, trainingOptions, seed, null, cancellationToken);
                model.Save(modelDirectory);
            },
            cancellationToken).ConfigureAwait(false);

        using var generator = OnnxCausalLmGenerator.Load(modelDirectory);
        return await GenerateAsync(generator, rows, template, generationOptions, seed, cancellationToken).ConfigureAwait(false);
    }
}
