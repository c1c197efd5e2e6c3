using Microsoft.ML.OnnxRuntime;

namespace Pipelines.Synthetic.Tests.Onnx;

/// <summary>Runs a serialised model once in ONNX Runtime and hands back the outputs as float or long arrays.</summary>
internal static class OrtTestRunner
{
    public static Dictionary<string, (float[] Data, long[] Shape)> RunFloat(byte[] model, params (string Name, float[] Data, long[] Shape)[] inputs)
    {
        using var session = new InferenceSession(model);
        var values = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(i.Data, i.Shape)).ToList();
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [.. inputs.Select(i => i.Name)], values, session.OutputNames);
            var result = new Dictionary<string, (float[], long[])>(StringComparer.Ordinal);
            for (int i = 0; i < outputs.Count; i++)
            {
                result[session.OutputNames[i]] = (outputs[i].GetTensorDataAsSpan<float>().ToArray(), outputs[i].GetTensorTypeAndShape().Shape);
            }

            return result;
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }
}
