namespace Pipelines.Eval;

/// <summary>Mean next-token loss (nats per token) and perplexity = exp(loss).</summary>
public sealed record LanguageModelMetrics(double Loss, double Perplexity, long Tokens)
{
    /// <summary>From a summed loss over <paramref name="tokens"/> predicted tokens.</summary>
    /// <exception cref="ArgumentException">No tokens were predicted.</exception>
    public static LanguageModelMetrics FromSum(double lossSum, long tokens)
    {
        if (tokens <= 0)
        {
            throw new ArgumentException("No tokens were predicted: the texts are too short to evaluate.", nameof(tokens));
        }

        var loss = lossSum / tokens;
        return new LanguageModelMetrics(loss, Math.Exp(loss), tokens);
    }
}
