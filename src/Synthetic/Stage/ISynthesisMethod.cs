namespace Pipelines.Synthetic;

/// <summary>
/// One value of the <c>synthesize</c> stage's <c>method</c> option. The stage reads the inputs,
/// calls the method, and writes <c>synthetic</c>, <c>mixed</c> and <c>report</c>; the method
/// produces the rows and saves whatever it fitted into <see cref="SynthesisRequest.ModelDirectory"/>.
/// Register new methods in <see cref="SynthesisMethodRegistry"/>; a method's own options live in
/// <see cref="SynthesizeOptions"/> (<c>copula</c>, <c>tvae</c>, <c>text_lm</c>).
/// </summary>
public interface ISynthesisMethod
{
    /// <summary>The <c>method:</c> value (<c>copula</c>, <c>tvae</c>, <c>text-lm</c>).</summary>
    string Name { get; }

    /// <summary>Versions of the libraries the output depends on (part of the stage fingerprint).</summary>
    IReadOnlyDictionary<string, string> LibraryVersions { get; }

    /// <summary>Problems with the options for this method, each naming the field; empty when valid.</summary>
    IEnumerable<string> Validate(SynthesizeOptions options);

    /// <summary>Generates the synthetic rows. Same request ⇒ bit-identical table.</summary>
    /// <exception cref="ArgumentException">Bad input (unknown column, impossible condition...), with a user-facing message.</exception>
    Task<ColumnTable> GenerateAsync(SynthesisRequest request, CancellationToken cancellationToken);
}
