using Microsoft.ML.OnnxRuntime;

namespace Pipelines.Synthetic;

/// <summary>
/// Runs an ONNX decoder on fixed-size batches with pinned, reused input and output buffers
/// (one <see cref="OrtValue"/> each, created once), so a batch costs one native call and no allocation.
/// </summary>
internal sealed class OnnxDecoderRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _input;
    private readonly OrtValue _output;
    private readonly string[] _inputNames = [TvaeDecoderExporter.InputName];
    private readonly string[] _outputNames = [TvaeDecoderExporter.OutputName];
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;

    public OnnxDecoderRunner(byte[] model, int latentDim, int outputDim, int batchSize, int threads = 0)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
        };
        _session = new InferenceSession(model, options);
        BatchSize = batchSize;
        Latents = new float[batchSize * latentDim];
        Outputs = new float[batchSize * outputDim];
        _input = OrtValue.CreateTensorValueFromMemory(Latents, [batchSize, latentDim]);
        _output = OrtValue.CreateTensorValueFromMemory(Outputs, [batchSize, outputDim]);
        _inputs = [_input];
        _outputs = [_output];
    }

    public int BatchSize { get; }

    /// <summary>Input buffer, row-major [batch, latent].</summary>
    public float[] Latents { get; }

    /// <summary>Output buffer, row-major [batch, outputs], valid after <see cref="Run"/>.</summary>
    public float[] Outputs { get; }

    public void Run() => _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

    public void Dispose()
    {
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
