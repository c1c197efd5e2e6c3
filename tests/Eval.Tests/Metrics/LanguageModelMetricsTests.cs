using NUnit.Framework;

namespace Pipelines.Eval.Tests;

public class LanguageModelMetricsTests
{
    [Test]
    public void Perplexity_is_the_exponential_of_the_mean_token_loss()
    {
        var m = LanguageModelMetrics.FromSum(6, 3);
        Assert.That(m.Loss, Is.EqualTo(2));
        Assert.That(m.Perplexity, Is.EqualTo(Math.Exp(2)).Within(1e-12));
    }

    [Test]
    public void No_predicted_tokens_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => LanguageModelMetrics.FromSum(0, 0));
    }
}
