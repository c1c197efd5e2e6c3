namespace Pipelines.Stages.Dedup;

/// <summary>How text is normalised before it is hashed or shingled. Each step can be turned off.</summary>
public sealed class TextNormalizationOptions
{
    /// <summary>Apply Unicode NFKC (compatibility composition: "ﬁ" → "fi", full-width → ASCII). Default: true.</summary>
    public bool Nfkc { get; set; } = true;

    /// <summary>Lower-case with invariant rules. Default: true.</summary>
    public bool CaseFold { get; set; } = true;

    /// <summary>Replace each run of white space with one space and trim the ends. Default: true.</summary>
    public bool CollapseWhitespace { get; set; } = true;

    /// <summary>Remove Unicode punctuation characters. Default: false.</summary>
    public bool StripPunctuation { get; set; }
}
