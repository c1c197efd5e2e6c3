using Pipelines.Synthetic.Onnx;

namespace Pipelines.Synthetic;

/// <summary>Writes the TVAE decoder (Gemm + Relu layers) as an ONNX model: input <c>z</c> [batch, latent], output <c>x</c> [batch, outputs].</summary>
internal static class TvaeDecoderExporter
{
    public const string InputName = "z";
    public const string OutputName = "x";

    public static byte[] Export(TvaeNetwork network, int latentDim, int outputDim)
    {
        var builder = new OnnxGraphBuilder("tvae_decoder");
        builder.Metadata("producer", "Pipelines.Synthetic TVAE");
        var h = builder.Input(InputName, OnnxElementType.Float, "batch", latentDim);
        for (int i = 0; i < network.Decoder.Count; i++)
        {
            var layer = network.Decoder[i];
            long outFeatures = layer.weight!.shape[0];
            long inFeatures = layer.weight.shape[1];
            float[] weight = layer.weight.data<float>().ToArray();
            float[] bias = layer.bias!.data<float>().ToArray();
            // Linear stores W as [out, in]: y = x Wᵀ + b is Gemm with transB.
            h = builder.Gemm(h, builder.Floats(weight, outFeatures, inFeatures), builder.Floats(bias, outFeatures), transB: true);
            if (i < network.Decoder.Count - 1)
            {
                h = builder.Relu(h);
            }
        }

        builder.Output(h, OutputName, OnnxElementType.Float, "batch", outputDim);
        return builder.ToBytes();
    }
}
