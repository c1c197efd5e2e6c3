using System.Text.Json.Nodes;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;

namespace Pipelines.Core.Running;

/// <summary>
/// Builds the <see cref="StageRunRequest"/> of a planned stage (inputs hashed, <c>with_from</c> params merged and
/// checked) or of a stage another stage invokes (a tuning trial). Status, runs and nested runs all build them here,
/// so a request, and therefore a fingerprint, has one definition.
/// </summary>
internal sealed class StageRequestFactory(ArtifactCache cache, StageRegistry registry)
{
    /// <summary>The request of a planned stage whose parents' outputs are known.</summary>
    public async Task<StageRunRequest> ForAsync(PlannedStage stage, ExternalInputState state,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, OutputRecord>> upstreamOutputs, CancellationToken cancellationToken)
    {
        var inputs = new SortedDictionary<string, RequestInput>(StringComparer.Ordinal);
        foreach (var input in stage.Inputs)
        {
            if (input.ExternalPath is { } path)
            {
                string hash = await state.HashAsync(path, cancellationToken).ConfigureAwait(false);
                inputs[input.Name] = new RequestInput(hash, input.Port.Kind, path);
            }
            else
            {
                var record = UpstreamOutput(stage, input.Name, input.UpstreamStage!, input.UpstreamOutput!, upstreamOutputs);
                inputs[input.Name] = new RequestInput(record.Hash, record.Kind, null);
            }
        }
        var options = stage.OptionsSource is { } source
            ? await MergedOptionsAsync(stage, UpstreamOutput(stage, "with_from", source.UpstreamStage!, source.UpstreamOutput!, upstreamOutputs), cancellationToken).ConfigureAwait(false)
            : stage.OptionsJson;
        return Request(stage.Id, stage.Stage, options, stage.Seed, inputs);
    }

    /// <summary>The request of a stage that <paramref name="parent"/> invokes with its own inputs (a trial of a search).</summary>
    public StageRunRequest ForNested(StageRunRequest parent, string kind, JsonObject with, IReadOnlyDictionary<string, string> inputs, string label)
    {
        var stage = registry.Resolve(kind) ?? throw new UserInputException($"Unknown stage kind '{kind}'.{Suggest.DidYouMean(kind, registry.Kinds)}");
        var options = StageOptionsBinding.BindAndValidate(stage, with, label);
        var requestInputs = new SortedDictionary<string, RequestInput>(StringComparer.Ordinal);
        foreach (var (name, parentName) in inputs)
            requestInputs[name] = parent.Inputs.TryGetValue(parentName, out var input) ? input
                : throw new UserInputException($"{label}: input '{parentName}' is not an input of stage '{parent.StageId}'.");
        return Request($"{parent.StageId}-{label.Replace(' ', '-')}", stage, options, parent.Seed, requestInputs);
    }

    private static StageRunRequest Request(string id, IStage stage, JsonObject options, long seed, SortedDictionary<string, RequestInput> inputs) => new()
    {
        StageId = id,
        Kind = stage.Kind,
        Version = stage.Version,
        Options = options,
        Seed = seed,
        Inputs = inputs,
        Outputs = stage.Outputs.Select(o => o.Name).ToArray(),
        Libraries = new SortedDictionary<string, string>(stage.LibraryVersions.ToDictionary(), StringComparer.Ordinal),
        OptionsOutsideFingerprint = stage.OptionsOutsideFingerprint.Order(StringComparer.Ordinal).ToArray(),
    };

    /// <summary>An upstream stage's output record; an optional output it did not write is a clear user error.</summary>
    private static OutputRecord UpstreamOutput(PlannedStage stage, string inputName, string upstreamStage, string upstreamOutput,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, OutputRecord>> upstreamOutputs) =>
        upstreamOutputs[upstreamStage].TryGetValue(upstreamOutput, out var record)
            ? record
            : throw new UserInputException($"stage '{stage.Id}': input '{inputName}' = '{upstreamStage}.{upstreamOutput}', but stage '{upstreamStage}' did not write its optional output '{upstreamOutput}' (see that stage's options).");

    /// <summary>The stage's options with the params of its <c>with_from</c> JSON merged over them, bound and validated again.</summary>
    private async Task<JsonObject> MergedOptionsAsync(PlannedStage stage, OutputRecord source, CancellationToken cancellationToken)
    {
        string where = $"stage '{stage.Id}': options from '{stage.Definition.WithFrom}'";
        await using var stream = await cache.Store.OpenReadAsync(source.Hash, cancellationToken).ConfigureAwait(false);
        JsonObject document;
        try
        {
            document = (await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false)) as JsonObject
                       ?? throw new System.Text.Json.JsonException("not a JSON object");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new UserInputException($"{where}: the file is not a JSON object ({ex.Message}).");
        }
        var merged = (JsonObject)stage.OptionsJson.DeepClone();
        foreach (var (key, value) in (document["params"] as JsonObject ?? document).ToArray())
            ParamsTree.Set(merged, key, value?.DeepClone());
        return StageOptionsBinding.BindAndValidate(stage.Stage, merged, where);
    }
}
