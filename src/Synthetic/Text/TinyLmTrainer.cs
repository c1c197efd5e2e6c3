using FluentValidation;
using Pipelines.Synthetic.Text.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Synthetic.Text;

/// <summary>
/// Trains a tiny character-level transformer on plain text rows with TorchSharp (CPU), so a pipeline has a
/// text generator without downloading any model. Rows are joined with an end-of-text token between them.
/// </summary>
public static class TinyLmTrainer
{
    private static readonly TinyLmOptionsValidator Validator = new();

    /// <summary>Trains a model; same texts, options and seed give the same weights on the same machine.</summary>
    /// <param name="texts">Training rows (null and empty rows are skipped).</param>
    /// <param name="options">Model shape and training budget.</param>
    /// <param name="seed">Seeds weight initialisation and batch sampling.</param>
    /// <param name="progress">Receives the loss after every step.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    /// <exception cref="ArgumentException">Invalid options, or fewer than 2 characters of text.</exception>
    public static TinyLm Train(
        IEnumerable<string?> texts,
        TinyLmOptions options,
        long seed,
        IProgress<TinyLmProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(options);
        var validation = Validator.Validate(options);
        if (!validation.IsValid)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, validation.Errors.Select(e => e.ErrorMessage)), nameof(options));
        }

        var rows = texts.Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        var tokenizer = CharTokenizer.Build(rows);
        long[] corpus = Corpus(rows, tokenizer);
        if (corpus.Length < 2)
        {
            throw new ArgumentException("The training text is empty: a tiny language model needs at least 2 characters of text.", nameof(texts));
        }

        var config = new TinyGptConfig(tokenizer.VocabularySize, options.EmbeddingSize, options.Layers, options.Heads, options.ContextLength);

        // One thread: a model this small trains no faster on more, and the result then cannot depend on the core count.
        // Process-wide and not restored: a restore while another stage trains would change its thread count half-way.
        set_num_threads(1);
        random.manual_seed(seed);
        var module = new TinyGpt(config);
        try
        {
            var losses = Fit(module, corpus, options, seed, progress, cancellationToken);
            return new TinyLm(module, tokenizer, losses);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    private static long[] Corpus(List<string> rows, CharTokenizer tokenizer)
    {
        var corpus = new List<long>(rows.Sum(r => r.Length + 1));
        foreach (string row in rows)
        {
            foreach (int id in tokenizer.Encode(row))
            {
                corpus.Add(id);
            }

            corpus.Add(tokenizer.EndOfTextId!.Value);
        }

        return [.. corpus];
    }

    private static List<double> Fit(TinyGpt module, long[] corpus, TinyLmOptions options, long seed, IProgress<TinyLmProgress>? progress, CancellationToken cancellationToken)
    {
        int length = Math.Min(options.SequenceLength, corpus.Length - 1);
        int batch = options.BatchSize;
        var rng = new SplitMix64(seed);
        var losses = new List<double>(options.Steps);
        var x = new long[batch * length];
        var y = new long[batch * length];
        var offsets = new long[batch];
        module.train();
        using var optimizer = optim.AdamW(module.parameters(), options.LearningRate, weight_decay: 0.01);
        for (int step = 0; step < options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int r = 0; r < batch; r++)
            {
                int start = rng.NextInt(corpus.Length - length);
                Array.Copy(corpus, start, x, r * length, length);
                Array.Copy(corpus, start + 1, y, r * length, length);

                // Windows shorter than the context start at a random position so every position embedding is trained.
                offsets[r] = rng.NextInt(options.ContextLength - length + 1);
            }

            // Cosine decay to a tenth of the rate: short runs end on a lower loss than at a constant rate.
            double lr = options.LearningRate * (0.1 + (0.45 * (1 + Math.Cos(Math.PI * step / Math.Max(1, options.Steps)))));
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }

            using var scope = NewDisposeScope();
            var logits = module.Forward(tensor(x, [batch, length]), null, tensor(offsets, [batch, 1]));
            var loss = nn.functional.cross_entropy(logits.view(batch * length, -1), tensor(y, [batch * length]));
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(module.parameters(), 1.0);
            optimizer.step();
            double value = loss.item<float>();
            losses.Add(value);
            progress?.Report(new TinyLmProgress(step + 1, options.Steps, value));
        }

        module.eval();
        return losses;
    }
}
