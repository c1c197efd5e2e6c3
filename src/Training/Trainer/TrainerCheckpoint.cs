using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// A resumable training state: trainable weights (safetensors), AdamW state, the torch RNG state and the loop
/// position. Written to a temporary directory and renamed, so a crash never leaves half a checkpoint.
/// </summary>
internal sealed record TrainerCheckpoint
{
    private const string StateFile = "trainer_state.json";

    public int Step { get; init; }
    public int Epoch { get; init; }
    public int Batch { get; init; }
    public double BestLoss { get; init; } = double.PositiveInfinity;
    public int BadEvaluations { get; init; }
    public long Tokens { get; init; }
    public List<TrainingStep> Steps { get; init; } = [];
    public List<EvaluationPoint> Evaluations { get; init; } = [];

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, StateFile));

    public void Save(string directory, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(directory))!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, Path.GetFileName(directory) + ".tmp");
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, true);
        }

        Directory.CreateDirectory(temp);
        SafetensorsWriter.Write(Path.Combine(temp, "trainable.safetensors"),
            model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => Gpt2Weights.ToSafetensor(p.name, p.parameter, false)));
        optimizer.save_state_dict(Path.Combine(temp, "optimizer.bin"));
        using (var rng = get_rng_state())
        {
            File.WriteAllBytes(Path.Combine(temp, "rng.bin"), rng.data<byte>().ToArray());
        }

        File.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(this));
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, true);
        }

        Directory.Move(temp, directory);
    }

    public static TrainerCheckpoint Load(string directory, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        var state = JsonSerializer.Deserialize<TrainerCheckpoint>(File.ReadAllText(Path.Combine(directory, StateFile)))
            ?? throw new InvalidDataException($"Checkpoint '{directory}' has an empty {StateFile}.");
        using (var file = SafetensorsFile.Open(Path.Combine(directory, "trainable.safetensors")))
        {
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.parameter.requires_grad))
            {
                if (!file.Contains(name))
                {
                    throw new InvalidDataException($"Checkpoint '{directory}' does not fit this model: it lacks '{name}'.");
                }

                Gpt2Weights.CopyInto(parameter, file, name, conv1D: false);
            }
        }

        optimizer.load_state_dict(Path.Combine(directory, "optimizer.bin"));
        var rngBytes = File.ReadAllBytes(Path.Combine(directory, "rng.bin"));
        using (var rng = tensor(rngBytes, ScalarType.Byte))
        {
            set_rng_state(rng);
        }

        return state;
    }
}
