using System.Text.RegularExpressions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>Replaces a model's target linear and embedding layers with <see cref="LoraLinear"/> / <see cref="LoraEmbedding"/> wrappers and freezes everything else.</summary>
public static class LoraInjection
{
    /// <summary>
    /// Injects adapters into every linear or embedding layer of <paramref name="model"/> matched by <see cref="LoraOptions.TargetModules"/>
    /// (embeddings as PEFT does: <c>wte</c> gets <c>lora_embedding_A</c>/<c>lora_embedding_B</c>).
    /// All other parameters are frozen.
    /// </summary>
    /// <returns>The wrappers by module path (e.g. <c>transformer.h.0.attn.c_attn</c>), sorted by path.</returns>
    /// <exception cref="ArgumentException">The options are invalid, or a target matches no linear layer (the message lists the layers).</exception>
    public static IReadOnlyList<(string Path, LoraLayer Layer)> Inject(nn.Module model, LoraOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var validation = new LoraOptionsValidator().Validate(options);
        if (!validation.IsValid)
        {
            throw new ArgumentException(string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)));
        }

        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var candidates = modules
            .Where(m => m.Value is Linear or Embedding && ParentOf(m.Key) is { } parent && modules.GetValueOrDefault(parent) is ILinearContainer)
            .Select(m => m.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (candidates.Count == 0 && modules.Values.Any(m => m is LoraLayer))
        {
            throw new InvalidOperationException("The model already has LoRA adapters.");
        }

        var selected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var target in options.TargetModules)
        {
            var matches = candidates.Where(path => Matches(target, path)).ToList();
            if (matches.Count == 0)
            {
                var names = candidates.Select(Leaf).Distinct().Order(StringComparer.Ordinal);
                throw new ArgumentException($"'lora.target_modules' entry '{target}' matches no linear or embedding layer of the model. Layers that can be adapted: {string.Join(", ", names)}.");
            }

            selected.UnionWith(matches);
        }

        foreach (var p in model.parameters())
        {
            p.requires_grad = false;
        }

        var result = new List<(string, LoraLayer)>();
        foreach (var path in selected)
        {
            LoraLayer lora = modules[path] is Embedding embedding
                ? new LoraEmbedding(embedding, options.Rank, options.Alpha, options.UseRsLora)
                : new LoraLinear((Linear)modules[path], options.Rank, options.Alpha, options.Dropout, options.UseRsLora);
            if (!modules[path].training)
            {
                // A wrapper starts in training mode; injecting into a model in eval mode must not switch adapter dropout on.
                lora.eval();
            }

            ((ILinearContainer)modules[ParentOf(path)!]).ReplaceLinear(Leaf(path), lora);
            result.Add((path, lora));
        }

        return result;
    }

    /// <summary>Trainable and total parameter counts (elements) of <paramref name="model"/>.</summary>
    public static (long Trainable, long Total) CountParameters(nn.Module model)
    {
        long trainable = 0, total = 0;
        foreach (var p in model.parameters())
        {
            total += p.numel();
            if (p.requires_grad)
            {
                trainable += p.numel();
            }
        }

        return (trainable, total);
    }

    /// <summary>Whether <paramref name="target"/> selects the module at <paramref name="path"/> (PEFT's rule: suffix match for names, full match for regexes).</summary>
    public static bool Matches(string target, string path)
    {
        if (IsRegex(target))
        {
            return Regex.IsMatch(path, "^(?:" + target + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }

        return path == target || path.EndsWith("." + target, StringComparison.Ordinal);
    }

    /// <summary>Whether a target entry is a regular expression rather than a module name.</summary>
    public static bool IsRegex(string target) => target.AsSpan().IndexOfAny("^$*+?()[]{}|\\") >= 0;

    private static string? ParentOf(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot < 0 ? null : path[..dot];
    }

    private static string Leaf(string path) => path[(path.LastIndexOf('.') + 1)..];
}
