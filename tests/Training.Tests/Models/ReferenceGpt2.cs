namespace Pipelines.Training.Tests;

/// <summary>
/// A plain-C# GPT-2 forward pass over HF-named weights (Conv1D layout [in, out]), written from the
/// paper's equations with loops only: the independent check of the TorchSharp model.
/// </summary>
internal sealed class ReferenceGpt2(IReadOnlyDictionary<string, float[]> w, int vocab, int embd, int layers, int heads, int inner, double eps)
{
    public double[,] Logits(int[] ids)
    {
        var t = ids.Length;
        var x = new double[t, embd];
        for (var i = 0; i < t; i++)
        {
            for (var c = 0; c < embd; c++)
            {
                x[i, c] = w["wte.weight"][ids[i] * embd + c] + w["wpe.weight"][i * embd + c];
            }
        }

        for (var l = 0; l < layers; l++)
        {
            var p = $"h.{l}.";
            var a = LayerNorm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"]);
            var qkv = Conv1D(a, w[p + "attn.c_attn.weight"], w[p + "attn.c_attn.bias"], embd, 3 * embd);
            var hs = embd / heads;
            var y = new double[t, embd];
            for (var h = 0; h < heads; h++)
            {
                for (var i = 0; i < t; i++)
                {
                    var scores = new double[i + 1];
                    var max = double.NegativeInfinity;
                    for (var j = 0; j <= i; j++)
                    {
                        double s = 0;
                        for (var d = 0; d < hs; d++)
                        {
                            s += qkv[i, h * hs + d] * qkv[j, embd + h * hs + d];
                        }

                        scores[j] = s / Math.Sqrt(hs);
                        max = Math.Max(max, scores[j]);
                    }

                    double sum = 0;
                    for (var j = 0; j <= i; j++)
                    {
                        scores[j] = Math.Exp(scores[j] - max);
                        sum += scores[j];
                    }

                    for (var d = 0; d < hs; d++)
                    {
                        double v = 0;
                        for (var j = 0; j <= i; j++)
                        {
                            v += scores[j] / sum * qkv[j, 2 * embd + h * hs + d];
                        }

                        y[i, h * hs + d] = v;
                    }
                }
            }

            Add(x, Conv1D(y, w[p + "attn.c_proj.weight"], w[p + "attn.c_proj.bias"], embd, embd));
            var m = LayerNorm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"]);
            var f = Conv1D(m, w[p + "mlp.c_fc.weight"], w[p + "mlp.c_fc.bias"], embd, inner);
            for (var i = 0; i < t; i++)
            {
                for (var c = 0; c < inner; c++)
                {
                    var u = f[i, c];
                    f[i, c] = 0.5 * u * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (u + 0.044715 * u * u * u)));
                }
            }

            Add(x, Conv1D(f, w[p + "mlp.c_proj.weight"], w[p + "mlp.c_proj.bias"], inner, embd));
        }

        var final = LayerNorm(x, w["ln_f.weight"], w["ln_f.bias"]);
        var logits = new double[t, vocab];
        for (var i = 0; i < t; i++)
        {
            for (var v = 0; v < vocab; v++)
            {
                double s = 0;
                for (var c = 0; c < embd; c++)
                {
                    s += final[i, c] * w["wte.weight"][v * embd + c];
                }

                logits[i, v] = s;
            }
        }

        return logits;
    }

    private double[,] LayerNorm(double[,] x, float[] g, float[] b)
    {
        var t = x.GetLength(0);
        var r = new double[t, embd];
        for (var i = 0; i < t; i++)
        {
            double mean = 0, var = 0;
            for (var c = 0; c < embd; c++)
            {
                mean += x[i, c];
            }

            mean /= embd;
            for (var c = 0; c < embd; c++)
            {
                var = var + (x[i, c] - mean) * (x[i, c] - mean);
            }

            var /= embd;
            for (var c = 0; c < embd; c++)
            {
                r[i, c] = (x[i, c] - mean) / Math.Sqrt(var + eps) * g[c] + b[c];
            }
        }

        return r;
    }

    private static double[,] Conv1D(double[,] x, float[] weight, float[] bias, int nIn, int nOut)
    {
        var t = x.GetLength(0);
        var r = new double[t, nOut];
        for (var i = 0; i < t; i++)
        {
            for (var o = 0; o < nOut; o++)
            {
                double s = bias[o];
                for (var k = 0; k < nIn; k++)
                {
                    s += x[i, k] * weight[k * nOut + o];
                }

                r[i, o] = s;
            }
        }

        return r;
    }

    private static void Add(double[,] x, double[,] y)
    {
        for (var i = 0; i < x.GetLength(0); i++)
        {
            for (var c = 0; c < x.GetLength(1); c++)
            {
                x[i, c] += y[i, c];
            }
        }
    }
}
