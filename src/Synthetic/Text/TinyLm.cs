using Pipelines.Synthetic.Text.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Synthetic.Text;

/// <summary>
/// A tiny character-level decoder trained by <see cref="TinyLmTrainer"/>: keeps the TorchSharp weights,
/// evaluates loss and exports the model as ONNX in the common decoder layout.
/// </summary>
public sealed class TinyLm : IDisposable
{
    private readonly TinyGpt _module;

    internal TinyLm(TinyGpt module, CharTokenizer tokenizer, IReadOnlyList<double> lossHistory)
    {
        _module = module;
        Tokenizer = tokenizer;
        LossHistory = lossHistory;
    }

    /// <summary>The character vocabulary the model was trained with.</summary>
    public CharTokenizer Tokenizer { get; }

    /// <summary>Training loss of every step, nats per token.</summary>
    public IReadOnlyList<double> LossHistory { get; }

    /// <summary>Longest sequence the model can see.</summary>
    public int ContextLength => _module.Config.ContextLength;

    /// <summary>Number of trainable weights.</summary>
    public long ParameterCount => _module.parameters().Sum(p => p.numel());

    internal TinyGpt Module => _module;

    /// <summary>The model as an ONNX file's bytes (IR 10, opset 21).</summary>
    /// <param name="withKvCache">True (default) adds <c>past_key_values.*</c> inputs and <c>present.*</c> outputs.</param>
    public byte[] ExportOnnx(bool withKvCache = true) => TinyGptOnnxExporter.Export(_module, withKvCache);

    /// <summary>
    /// Writes <c>model.onnx</c> and <c>char_tokenizer.json</c> into <paramref name="directory"/> (created if
    /// needed): what <see cref="OnnxCausalLmGenerator.Load(string, Microsoft.ML.OnnxRuntime.SessionOptions?)"/> reads.
    /// </summary>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, OnnxCausalLmGenerator.ModelFileName), ExportOnnx());
        Tokenizer.Save(Path.Combine(directory, CharTokenizer.FileName));
    }

    /// <summary>Mean cross-entropy (nats per character) of <paramref name="text"/>, in windows of the context length.</summary>
    public double EvaluateLoss(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = Tokenizer.Encode(text).Select(i => (long)i).ToArray();
        if (ids.Length < 2)
        {
            throw new ArgumentException("The text to evaluate needs at least 2 characters.", nameof(text));
        }

        _module.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        double total = 0;
        long count = 0;
        for (int start = 0; start + 1 < ids.Length; start += ContextLength)
        {
            int length = Math.Min(ContextLength, ids.Length - 1 - start);
            var x = tensor(ids.AsSpan(start, length).ToArray(), [1, length]);
            var y = tensor(ids.AsSpan(start + 1, length).ToArray(), [length]);
            var logits = _module.forward(x).view(length, -1);
            total += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            count += length;
        }

        return total / count;
    }

    /// <summary>TorchSharp logits [batch, seq, vocab] (row-major) for padded ids; the reference the ONNX export must match.</summary>
    internal float[] ComputeLogits(long[] ids, long[] attentionMask, int batch, int sequence)
    {
        _module.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = _module.Forward(tensor(ids, [batch, sequence]), tensor(attentionMask, [batch, sequence]));
        return logits.contiguous().data<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => _module.Dispose();
}
