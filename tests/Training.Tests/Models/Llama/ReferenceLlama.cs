namespace Pipelines.Training.Tests;

/// <summary>
/// A plain-C# Llama forward pass over HF-named weights (nn.Linear layout [out, in]), loops and doubles only, written from
/// transformers' modeling_llama: RMSNorm, rotary embeddings with rotate_half (dimension d pairs with d + D/2),
/// grouped-query attention (query head h reads key/value head h / (H / KV)), causal softmax, SwiGLU. The independent check.
/// </summary>
internal sealed class ReferenceLlama(IReadOnlyDictionary<string, float[]> w, LlamaConfig config, bool interleavedRope = false, bool tiledKv = false)
{
    // The two deliberate mistakes (for the test that shows the comparison can fail): GPT-J style adjacent pairs
    // (2i, 2i + 1) instead of rotate_half, and key/value heads tiled (h mod KV) instead of repeated (h / group).
    private readonly int _hidden = config.HiddenSize;
    private readonly int _headDim = config.HeadSize;

    public double[,] Logits(int[] ids)
    {
        var t = ids.Length;
        var x = new double[t, _hidden];
        for (var i = 0; i < t; i++)
        {
            for (var c = 0; c < _hidden; c++)
            {
                x[i, c] = w["model.embed_tokens.weight"][ids[i] * _hidden + c];
            }
        }

        for (var l = 0; l < config.Layers; l++)
        {
            var p = $"model.layers.{l}.";
            var a = RmsNorm(x, w[p + "input_layernorm.weight"]);
            var q = Rope(Linear(a, p + "self_attn.q_proj", config.Heads * _headDim, _hidden), config.Heads);
            var k = Rope(Linear(a, p + "self_attn.k_proj", config.KeyValueHeadCount * _headDim, _hidden), config.KeyValueHeadCount);
            var v = Linear(a, p + "self_attn.v_proj", config.KeyValueHeadCount * _headDim, _hidden);
            var y = new double[t, config.Heads * _headDim];
            var group = config.Heads / config.KeyValueHeadCount;
            for (var h = 0; h < config.Heads; h++)
            {
                var kv = tiledKv ? h % config.KeyValueHeadCount : h / group;
                for (var i = 0; i < t; i++)
                {
                    var scores = new double[i + 1];
                    var max = double.NegativeInfinity;
                    for (var j = 0; j <= i; j++)
                    {
                        double s = 0;
                        for (var d = 0; d < _headDim; d++)
                        {
                            s += q[i, h * _headDim + d] * k[j, kv * _headDim + d];
                        }

                        scores[j] = s / Math.Sqrt(_headDim);
                        max = Math.Max(max, scores[j]);
                    }

                    double sum = 0;
                    for (var j = 0; j <= i; j++)
                    {
                        scores[j] = Math.Exp(scores[j] - max);
                        sum += scores[j];
                    }

                    for (var d = 0; d < _headDim; d++)
                    {
                        double value = 0;
                        for (var j = 0; j <= i; j++)
                        {
                            value += scores[j] / sum * v[j, kv * _headDim + d];
                        }

                        y[i, h * _headDim + d] = value;
                    }
                }
            }

            Add(x, Linear(y, p + "self_attn.o_proj", _hidden, config.Heads * _headDim));
            var m = RmsNorm(x, w[p + "post_attention_layernorm.weight"]);
            var gate = Linear(m, p + "mlp.gate_proj", config.IntermediateSize, _hidden);
            var up = Linear(m, p + "mlp.up_proj", config.IntermediateSize, _hidden);
            for (var i = 0; i < t; i++)
            {
                for (var c = 0; c < config.IntermediateSize; c++)
                {
                    var g = gate[i, c];
                    gate[i, c] = g / (1 + Math.Exp(-g)) * up[i, c];
                }
            }

            Add(x, Linear(gate, p + "mlp.down_proj", _hidden, config.IntermediateSize));
        }

        var final = RmsNorm(x, w["model.norm.weight"]);
        return Linear(final, config.TieWordEmbeddings ? "model.embed_tokens" : "lm_head", config.VocabSize, _hidden);
    }

    private double[,] RmsNorm(double[,] x, float[] g)
    {
        var t = x.GetLength(0);
        var r = new double[t, _hidden];
        for (var i = 0; i < t; i++)
        {
            double squares = 0;
            for (var c = 0; c < _hidden; c++)
            {
                squares += x[i, c] * x[i, c];
            }

            var scale = 1 / Math.Sqrt(squares / _hidden + config.RmsNormEpsilon);
            for (var c = 0; c < _hidden; c++)
            {
                r[i, c] = g[c] * x[i, c] * scale;
            }
        }

        return r;
    }

    // rotate_half: out[d] = x[d]·cos(θ_d) − x[d + D/2]·sin(θ_d) for the first half, x[d]·cos(θ_d) + x[d − D/2]·sin(θ_d) for the second,
    // with θ_d = position · base^(−2(d mod D/2)/D).
    private double[,] Rope(double[,] x, int heads)
    {
        var t = x.GetLength(0);
        var half = _headDim / 2;
        var r = new double[t, heads * _headDim];
        for (var i = 0; i < t; i++)
        {
            for (var h = 0; h < heads; h++)
            {
                for (var d = 0; d < _headDim; d++)
                {
                    var pair = interleavedRope ? d / 2 : d % half;
                    var angle = i * Math.Pow(config.RopeTheta, -2.0 * pair / _headDim);
                    var partner = interleavedRope
                        ? (d % 2 == 0 ? -x[i, h * _headDim + d + 1] : x[i, h * _headDim + d - 1])
                        : (d < half ? -x[i, h * _headDim + d + half] : x[i, h * _headDim + d - half]);
                    r[i, h * _headDim + d] = x[i, h * _headDim + d] * Math.Cos(angle) + partner * Math.Sin(angle);
                }
            }
        }

        return r;
    }

    private double[,] Linear(double[,] x, string name, int nOut, int nIn)
    {
        var weight = w[name + ".weight"];
        var bias = w.GetValueOrDefault(name + ".bias");
        var t = x.GetLength(0);
        var r = new double[t, nOut];
        for (var i = 0; i < t; i++)
        {
            for (var o = 0; o < nOut; o++)
            {
                double s = bias?[o] ?? 0;
                for (var k = 0; k < nIn; k++)
                {
                    s += x[i, k] * weight[o * nIn + k];
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
