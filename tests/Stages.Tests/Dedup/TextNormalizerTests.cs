using Pipelines.Stages.Dedup;

namespace Pipelines.Stages.Tests.Dedup;

public class TextNormalizerTests
{
    [Test]
    public void Nfkc_turns_ligatures_and_full_width_letters_into_plain_ones()
    {
        var normalizer = new TextNormalizer(new TextNormalizationOptions { CaseFold = false, CollapseWhitespace = false });
        Assert.That(normalizer.Normalize("\uFB01ne \uFF21\uFF22\u2460"), Is.EqualTo("fine AB1"));
    }

    [Test]
    public void Defaults_fold_case_and_collapse_white_space_but_keep_punctuation()
    {
        var normalizer = new TextNormalizer(new TextNormalizationOptions());
        Assert.That(normalizer.Normalize("  Hello,\t\tWORLD!\n  Ünïcode "), Is.EqualTo("hello, world! ünïcode"));
    }

    [Test]
    public void Punctuation_is_stripped_only_when_asked()
    {
        var normalizer = new TextNormalizer(new TextNormalizationOptions { StripPunctuation = true });
        Assert.That(normalizer.Normalize("Wait... what?! (yes)"), Is.EqualTo("wait what yes"));
    }

    [Test]
    public void With_every_step_off_text_is_unchanged()
    {
        var normalizer = new TextNormalizer(new TextNormalizationOptions { Nfkc = false, CaseFold = false, CollapseWhitespace = false });
        Assert.That(normalizer.Normalize(" A\uFB01  b "), Is.EqualTo(" A\uFB01  b "));
        Assert.That(normalizer.Normalize(null), Is.Null);
    }
}
