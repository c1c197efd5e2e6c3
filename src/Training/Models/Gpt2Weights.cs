using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// Maps GPT-2 parameters to and from Hugging Face weight names. HF stores <c>c_attn</c>, <c>c_proj</c> and
/// <c>c_fc</c> as Conv1D weights of shape [in, out]; our linear layers hold [out, in], so those are transposed.
/// </summary>
public static partial class Gpt2Weights
{
    /// <summary>The prefix <c>GPT2LMHeadModel.save_pretrained</c> puts before body weights.</summary>
    public const string BodyPrefix = "transformer.";

    /// <summary>Loads body weights from <paramref name="file"/> (names with or without <c>transformer.</c>).</summary>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape.</exception>
    public static void Load(Gpt2Transformer body, SafetensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(file);
        var missing = new List<string>();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in BaseParameters(body))
        {
            var key = file.Contains(name) ? name : file.Contains(BodyPrefix + name) ? BodyPrefix + name : null;
            if (key is null)
            {
                missing.Add(name);
                continue;
            }

            CopyInto(parameter, file, key, IsConv1D(name));
        }

        if (missing.Count > 0)
        {
            throw new InvalidDataException($"Weights file '{file.Path}' lacks {missing.Count} GPT-2 weight(s): {string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", ..." : "")}.");
        }
    }

    /// <summary>Copies the tensor <paramref name="key"/> of <paramref name="file"/> into <paramref name="target"/>, transposing a Conv1D layout.</summary>
    public static void CopyInto(Tensor target, SafetensorsFile file, string key, bool conv1D)
    {
        var info = file.Info(key);
        var expected = target.shape.ToArray();
        if (conv1D)
        {
            Array.Reverse(expected);
        }

        if (!info.Shape.SequenceEqual(expected))
        {
            throw new InvalidDataException($"Weight '{key}' in '{file.Path}' has shape [{string.Join(", ", info.Shape)}]; the model expects [{string.Join(", ", expected)}].");
        }

        using var source = tensor(file.ReadSingles(key), info.Shape);
        using var oriented = conv1D ? source.t() : source.alias();
        using var noGrad = no_grad();
        target.copy_(oriented);
    }

    /// <summary>The body's weights as HF-named tensors (with the <c>transformer.</c> prefix), Conv1D layout restored.</summary>
    public static IEnumerable<SafetensorsTensor> Export(Gpt2Transformer body, string prefix = BodyPrefix)
    {
        ArgumentNullException.ThrowIfNull(body);
        foreach (var (name, parameter) in BaseParameters(body))
        {
            yield return ToSafetensor(prefix + name, parameter, IsConv1D(name));
        }
    }

    /// <summary>Writes the body as <c>model.safetensors</c> in HF naming (tied <c>lm_head</c> omitted, as HF does).</summary>
    public static void Save(Gpt2Transformer body, string path) =>
        SafetensorsWriter.Write(path, Export(body), new Dictionary<string, string> { ["format"] = "pt" });

    /// <summary>Whether an HF body weight name is stored in Conv1D layout.</summary>
    public static bool IsConv1D(string name) => Conv1DName().IsMatch(name);

    /// <summary>A float tensor as a safetensors entry, optionally transposed (2-D only).</summary>
    public static SafetensorsTensor ToSafetensor(string name, Tensor value, bool transpose)
    {
        using var cpu = value.detach().to(CPU).to_type(ScalarType.Float32);
        using var oriented = transpose ? cpu.t().contiguous() : cpu.contiguous();
        return new SafetensorsTensor(name, oriented.shape, oriented.data<float>().ToArray());
    }

    /// <summary>Body parameters under their HF names: LoRA wrappers' <c>base_layer</c> is looked through, adapters skipped.</summary>
    internal static IEnumerable<(string Name, Tensor Parameter)> BaseParameters(Gpt2Transformer body)
    {
        foreach (var (name, parameter) in body.named_parameters())
        {
            if (name.Contains(".lora_", StringComparison.Ordinal))
            {
                continue;
            }

            yield return (name.Replace(".base_layer.", ".", StringComparison.Ordinal), parameter);
        }
    }

    [GeneratedRegex(@"^h\.\d+\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)\.weight$")]
    private static partial Regex Conv1DName();
}
