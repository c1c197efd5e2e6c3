using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Synthetic;

/// <summary>
/// The TVAE encoder (x → μ, log σ²) and decoder (z → reconstruction) as plain TorchSharp layers,
/// plus a learned output noise σ per numeric column. Layers are kept in lists so that the decoder's
/// weights can be written out to ONNX.
/// </summary>
internal sealed class TvaeNetwork : IDisposable
{
    public TvaeNetwork(int inputDim, int latentDim, IReadOnlyList<int> hidden, int numericCount, int conditionWidth = 0)
    {
        int previous = inputDim;
        foreach (int width in hidden)
        {
            Encoder.Add(nn.Linear(previous, width));
            previous = width;
        }

        Mu = nn.Linear(previous, latentDim);
        LogVar = nn.Linear(previous, latentDim);
        previous = latentDim + conditionWidth;
        foreach (int width in hidden.Reverse())
        {
            Decoder.Add(nn.Linear(previous, width));
            previous = width;
        }

        Decoder.Add(nn.Linear(previous, inputDim));
        LogSigma = new Parameter(torch.full(Math.Max(numericCount, 1), Math.Log(0.1), dtype: ScalarType.Float32));
    }

    public List<Linear> Encoder { get; } = [];

    public Linear Mu { get; }

    public Linear LogVar { get; }

    public List<Linear> Decoder { get; } = [];

    public Parameter LogSigma { get; }

    public IEnumerable<Parameter> Parameters() =>
        Encoder.Concat([Mu, LogVar]).Concat(Decoder).SelectMany(l => l.parameters()).Append(LogSigma);

    public (Tensor Mu, Tensor LogVar) Encode(Tensor x)
    {
        var h = x;
        foreach (var layer in Encoder)
        {
            h = nn.functional.relu(layer.forward(h));
        }

        return (Mu.forward(h), LogVar.forward(h));
    }

    public Tensor Decode(Tensor z)
    {
        var h = z;
        for (int i = 0; i < Decoder.Count; i++)
        {
            h = Decoder[i].forward(h);
            if (i < Decoder.Count - 1)
            {
                h = nn.functional.relu(h);
            }
        }

        return h;
    }

    public void Dispose()
    {
        foreach (var layer in Encoder.Concat([Mu, LogVar]).Concat(Decoder))
        {
            layer.Dispose();
        }

        LogSigma.Dispose();
    }
}
