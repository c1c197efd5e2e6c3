namespace Pipelines.Synthetic.Text;

/// <summary>How <see cref="OnnxCausalLmGenerator"/> decodes. Plain data; checked by <see cref="TextGenerationOptionsValidator"/>.</summary>
public sealed class TextGenerationOptions
{
    /// <summary>Most tokens generated per prompt. Default 64.</summary>
    public int MaxNewTokens { get; set; } = 64;

    /// <summary>Softmax temperature; 0 means greedy (always the most likely token). Default 1.</summary>
    public double Temperature { get; set; } = 1.0;

    /// <summary>Sample only among the k most likely tokens; 0 turns the filter off. Default 0.</summary>
    public int TopK { get; set; }

    /// <summary>Sample only among the most likely tokens whose probabilities sum to p (nucleus); 1 turns the filter off. Default 1.</summary>
    public double TopP { get; set; } = 1.0;

    /// <summary>Generation of a row ends at the first of these strings, which is cut from the output. Default none.</summary>
    public IReadOnlyList<string> StopStrings { get; set; } = [];

    /// <summary>Prompts run together in one batch (left-padded, masked). Does not change the results. Default 8.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>Reuse the model's key/value cache when it has one (faster); false re-feeds the whole sequence each step. Default true.</summary>
    public bool UseKvCache { get; set; } = true;
}
